import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OfflineInputMissingError } from '../../../system/offline-input.ts';
import { importNodeRuntime, nodeRuntimes, nodeRuntimesDir, pickRuntime } from './node-runtimes.ts';

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

/** A tarball laid out like nodejs.org's (node-v<version>-linux-x64/bin/node, include/node). */
function tarball(version: string): string {
  dir = mkdtempSync(join(tmpdir(), 'node-runtime-'));
  const top = join(dir, `node-v${version}-linux-x64`);
  mkdirSync(join(top, 'bin'), { recursive: true });
  mkdirSync(join(top, 'include', 'node'), { recursive: true });
  writeFileSync(join(top, 'include', 'node', 'node.h'), '/* headers */\n');
  // Stands in for the binary: what matters here is that it runs and reports its version.
  writeFileSync(join(top, 'bin', 'node'), `#!/bin/sh\necho v${version}\n`);
  chmodSync(join(top, 'bin', 'node'), 0o755);
  const file = join(dir, `node-v${version}-linux-x64.tar.gz`);
  execFileSync('tar', ['-czf', file, '-C', dir, `node-v${version}-linux-x64`]);
  return file;
}

describe('Node runtimes', () => {
  it('given no data dir, when listed, then the running Node is among them', async () => {
    const runtimes = await nodeRuntimes();
    expect(runtimes.map((runtime) => runtime.version)).toContain(process.versions.node);
  });

  it('given an official tarball, when imported into the data dir, then it is offered for its major', async () => {
    const file = tarball('18.20.8');
    const dataDir = join(dir as string, 'data');
    const imported = await importNodeRuntime(file, dataDir);
    expect(imported).toMatchObject({
      version: '18.20.8',
      major: 18,
      source: 'data-dir',
      binary: join(nodeRuntimesDir(dataDir), 'v18.20.8', 'bin', 'node'),
      include: join(nodeRuntimesDir(dataDir), 'v18.20.8', 'include', 'node'),
    });
    const runtimes = await nodeRuntimes(dataDir);
    expect(pickRuntime(runtimes, 18)?.binary).toBe(imported.binary);
  });

  it('given a tarball without a runnable node, when imported, then it says where to get one', async () => {
    dir = mkdtempSync(join(tmpdir(), 'node-runtime-'));
    const empty = join(dir, 'empty.tar.gz');
    mkdirSync(join(dir, 'x', 'y'), { recursive: true });
    execFileSync('tar', ['-czf', empty, '-C', join(dir, 'x'), 'y']);
    const error = await importNodeRuntime(empty, join(dir, 'data')).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(OfflineInputMissingError);
    expect((error as OfflineInputMissingError).remedy).toContain('nodejs.org/dist');
  });
});
