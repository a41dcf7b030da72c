import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectTool, findExecutable } from './detect.ts';
import type { KnownTool } from './known-tools.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'prodsprint-detect-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** An executable that records that it ran, so a test can tell whether detection executed it. */
function fakeTool(path: string, output: string): string {
  const marker = `${path}.ran`;
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `#!/bin/sh\ntouch '${marker}'\necho '${output}'\n`);
  chmodSync(path, 0o755);
  return marker;
}

const tool = (overrides: Partial<KnownTool>): KnownTool => ({
  id: 'scanner',
  purpose: 'test',
  binaries: ['scanner'],
  versionArgs: ['--version'],
  remedy: 'install it',
  ...overrides,
});

describe('detectTool', () => {
  it('asks a tool on PATH for its version', async () => {
    const marker = fakeTool(join(root, 'bin', 'scanner'), 'scanner 1.2.3');
    const presence = await detectTool(tool({}), {
      projectRoot: root,
      env: { PATH: join(root, 'bin') },
    });
    expect(presence).toEqual({
      id: 'scanner',
      found: true,
      path: join(root, 'bin', 'scanner'),
      version: 'scanner 1.2.3',
    });
    expect(existsSync(marker)).toBe(true);
  });

  it('names a bundled tool by its npm package and never runs it', async () => {
    const marker = fakeTool(join(root, 'node_modules', 'pkg', 'bin', 'scanner'), 'slow to start');
    writeFileSync(
      join(root, 'node_modules', 'pkg', 'package.json'),
      JSON.stringify({ name: '@vendor/pkg', version: '4.5.6' }),
    );
    const presence = await detectTool(
      tool({
        bundled: [
          { path: 'node_modules/pkg/bin/scanner', packageJson: 'node_modules/pkg/package.json' },
        ],
      }),
      {
        projectRoot: root,
        env: { PATH: '' },
      },
    );
    expect(presence).toMatchObject({ found: true, version: 'bundled in @vendor/pkg@4.5.6' });
    expect(existsSync(marker)).toBe(false);
  });

  it('prefers the PATH binary over the bundled one (an operator-installed tool wins)', async () => {
    fakeTool(join(root, 'bin', 'scanner'), 'scanner 9.9.9');
    fakeTool(join(root, 'node_modules', 'pkg', 'scanner'), 'bundled');
    const presence = await detectTool(
      tool({
        bundled: [
          { path: 'node_modules/pkg/scanner', packageJson: 'node_modules/pkg/package.json' },
        ],
      }),
      {
        projectRoot: root,
        env: { PATH: join(root, 'bin') },
      },
    );
    expect(presence.version).toBe('scanner 9.9.9');
  });

  it('reports absence, and ignores files that are not executable', async () => {
    mkdirSync(join(root, 'bin'));
    writeFileSync(join(root, 'bin', 'scanner'), 'not executable');
    expect(findExecutable('scanner', { PATH: join(root, 'bin') })).toBeUndefined();
    expect(
      await detectTool(tool({}), { projectRoot: root, env: { PATH: join(root, 'bin') } }),
    ).toEqual({ id: 'scanner', found: false });
  });
});
