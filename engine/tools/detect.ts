import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
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
  /** Root that `bundledPaths` are relative to. */
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
  const candidates = [
    ...tool.binaries.map((binary) => findExecutable(binary, options.env)),
    ...(tool.bundledPaths ?? []).map((relative) =>
      findExecutable(join(options.projectRoot, relative), options.env),
    ),
  ];
  const path = candidates.find((candidate): candidate is string => candidate !== undefined);
  if (!path) return { id: tool.id, found: false };
  const version = await firstOutputLine(path, tool.versionArgs, options.timeoutMs ?? 5000);
  return { id: tool.id, found: true, path, ...(version ? { version } : {}) };
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
