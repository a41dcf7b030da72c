import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { KnownTool } from './known-tools.ts';

export interface ToolPresence {
  id: string;
  found: boolean;
  path?: string;
  /** First line the tool printed for its version, when it answered. */
  version?: string;
}

export interface DetectOptions {
  env?: NodeJS.ProcessEnv;
  /** Root that `bundled` paths are relative to. */
  projectRoot: string;
  timeoutMs?: number;
}

/** Finds an executable on PATH the way a shell would, without running a shell. */
export function findExecutable(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (isAbsolute(name)) return isExecutable(name) ? name : undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Looks for a tool and asks its version, with a time limit and no shell. */
export async function detectTool(tool: KnownTool, options: DetectOptions): Promise<ToolPresence> {
  for (const binary of tool.binaries) {
    const path = findExecutable(binary, options.env);
    if (!path) continue;
    const version = await firstOutputLine(path, tool.versionArgs, options.timeoutMs ?? 5000);
    return { id: tool.id, found: true, path, ...(version ? { version } : {}) };
  }
  for (const bundled of tool.bundled ?? []) {
    const path = findExecutable(join(options.projectRoot, bundled.path), options.env);
    if (!path) continue;
    return {
      id: tool.id,
      found: true,
      path,
      version: bundledVersion(join(options.projectRoot, bundled.packageJson)),
    };
  }
  return { id: tool.id, found: false };
}

function bundledVersion(packageJsonPath: string): string {
  try {
    const { name, version } = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as {
      name: string;
      version: string;
    };
    return `bundled in ${name}@${version}`;
  } catch {
    return 'bundled (package version unknown)';
  }
}

function firstOutputLine(
  file: string,
  args: string[],
  timeoutMs: number,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 1 << 20 }, (_error, stdout, stderr) => {
      const line = `${stdout}\n${stderr}`.split('\n').find((text) => text.trim() !== '');
      resolve(line?.trim().slice(0, 200));
    });
  });
}
