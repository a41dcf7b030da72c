/**
 * The Node.js binaries this machine can put into a `node:*` stand-in: the Node running
 * ProdSprint, every `node` on PATH, and official Linux tarballs a person unpacked (or imported
 * with importNodeRuntime) under `<dataDir>/runtimes/node/<any name>/` — the layout of
 * `node-v18.20.8-linux-x64.tar.xz` from nodejs.org, i.e. `bin/node` and `include/node`. That is
 * how an air-gapped site gets the exact major its Dockerfiles name.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { OfflineInputMissingError } from '../../../system/offline-input.ts';
import { stampsOf } from '../rootfs.ts';

export interface NodeRuntime {
  /** `20.19.2` (no leading v). */
  version: string;
  major: number;
  /** The binary (symlinks resolved). */
  binary: string;
  /** The headers (`include/node`) shipped beside it, when there are any. */
  include?: string;
  /** Where it was found. */
  source: 'running' | 'path' | 'data-dir';
}

/** `<dataDir>/runtimes/node`: where imported Node runtimes live. */
export function nodeRuntimesDir(dataDir: string): string {
  return join(dataDir, 'runtimes', 'node');
}

const versions = new Map<string, string | undefined>();

/** Every distinct Node binary here, newest first. */
export async function nodeRuntimes(dataDir?: string): Promise<NodeRuntime[]> {
  const found = new Map<string, NodeRuntime>();
  const add = (runtime: NodeRuntime | undefined) => {
    if (runtime && !found.has(runtime.binary)) found.set(runtime.binary, runtime);
  };
  add(describe(process.execPath, process.versions.node, 'running'));
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean))
    add(await probe(join(dir, 'node'), 'path'));
  if (dataDir && existsSync(nodeRuntimesDir(dataDir)))
    for (const name of readdirSync(nodeRuntimesDir(dataDir)).sort())
      add(await probe(join(nodeRuntimesDir(dataDir), name, 'bin', 'node'), 'data-dir'));
  return [...found.values()].sort((a, b) => compareVersions(b.version, a.version));
}

/** The runtime of the requested major, else the nearest one (ties go to the newer). */
export function pickRuntime(runtimes: NodeRuntime[], major: number): NodeRuntime | undefined {
  const exact = runtimes.find((runtime) => runtime.major === major);
  if (exact) return exact;
  return [...runtimes].sort(
    (a, b) => Math.abs(a.major - major) - Math.abs(b.major - major) || b.major - a.major,
  )[0];
}

/**
 * Unpacks an official Node.js Linux tarball (`node-v18.20.8-linux-x64.tar.xz` or `.tar.gz`)
 * into `<dataDir>/runtimes/node/v<version>` and returns it.
 */
export async function importNodeRuntime(tarball: string, dataDir: string): Promise<NodeRuntime> {
  const target = nodeRuntimesDir(dataDir);
  mkdirSync(target, { recursive: true });
  const staging = await mkdtemp(join(target, '.import-'));
  try {
    await promisify(execFile)('tar', ['-xf', tarball, '-C', staging, '--strip-components=1']);
    const runtime = await probe(join(staging, 'bin', 'node'), 'data-dir');
    if (!runtime)
      throw new OfflineInputMissingError(
        { kind: 'runtime', name: tarball },
        `${tarball} holds no runnable bin/node for this machine`,
        'Download the Linux x64 tarball of the Node.js version you need from https://nodejs.org/dist/ on a machine with internet access (node-v<version>-linux-x64.tar.xz), copy it here and import it again.',
      );
    const final = join(target, `v${runtime.version}`);
    rmSync(final, { recursive: true, force: true });
    renameSync(staging, final);
    versions.clear();
    return (await probe(join(final, 'bin', 'node'), 'data-dir')) as NodeRuntime;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Path, size and mtime of a runtime's binary: a hash input that notices an upgrade. */
export function runtimeStamp(runtime: NodeRuntime): string {
  return `${runtime.version} ${stampsOf([runtime.binary])}`;
}

async function probe(
  path: string,
  source: NodeRuntime['source'],
): Promise<NodeRuntime | undefined> {
  let binary: string;
  try {
    binary = realpathSync(path);
  } catch {
    return undefined;
  }
  const key = `${binary} ${stampsOf([binary])}`;
  if (!versions.has(key)) {
    const version = await promisify(execFile)(binary, ['--version'], { timeout: 10_000 }).then(
      (result) => /^v(\d+\.\d+\.\d+)/.exec(result.stdout.trim())?.[1],
      () => undefined,
    );
    versions.set(key, version);
  }
  const version = versions.get(key);
  return version ? describe(binary, version, source) : undefined;
}

function describe(binary: string, version: string, source: NodeRuntime['source']): NodeRuntime {
  const real = realpathSync(binary);
  const candidates = [
    join(dirname(real), '..', 'include', 'node'),
    ...(real.startsWith('/usr/bin/') ? ['/usr/include/node'] : []),
  ];
  const include = candidates.find((dir) => existsSync(join(dir, 'node.h')));
  return {
    version,
    major: Number(version.split('.')[0]),
    binary: real,
    ...(include ? { include: realpathSync(include) } : {}),
    source,
  };
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
