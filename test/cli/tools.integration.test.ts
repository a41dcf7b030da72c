import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

// `prodsprint tools …` on this machine: the bundled Trivy listed and verified against its pinned
// checksum; tools that cannot be had here say so; a bad bundle is refused before docker load.
let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'prodsprint-tools-cli-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cli = (...args: string[]) =>
  runCli(['--data-dir', join(root, 'data'), ...args], {
    env: { DOCKER_HOST: `unix://${join(root, 'no-docker.sock')}` },
  });

describe('prodsprint tools', () => {
  it('lists every allow-listed tool, and says why the absent ones are absent', async () => {
    const { tools } = JSON.parse((await cli('tools', 'list', '--json')).stdout);
    const byName = Object.fromEntries(tools.map((tool: { name: string }) => [tool.name, tool]));
    expect(Object.keys(byName).sort()).toEqual(['cosign', 'k6', 'opa', 'terraform', 'trivy']);
    expect(byName.trivy.binary.foundAt).toMatch(/trivy/);
    for (const absent of ['k6', 'cosign', 'opa'])
      expect(byName[absent]).toMatchObject({
        binary: null,
        image: null,
        unavailable: expect.any(String),
      });
  });

  it('verifies the bundled Trivy against its pinned checksum', async () => {
    const result = await cli('tools', 'verify', '--json');
    expect(result.code, result.stdout).toBe(0);
    const trivy = JSON.parse(result.stdout).tools.find(
      (tool: { name: string }) => tool.name === 'trivy',
    );
    expect(trivy).toMatchObject({ usable: true, binary: { status: 'ok' } });
  });

  it('refuses to load a bundle without a Docker Engine, with a remedy', async () => {
    const bundle = join(root, 'bundle.tar');
    writeFileSync(bundle, 'not a docker save tarball');
    const result = await cli('tools', 'load', bundle);
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(
      /no Docker Engine answered, so the tool bundle cannot be loaded — start the Docker Engine/,
    );
  });
});
