import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleFiles } from '../../engine/policy/bundles/files.ts';
import { signedDemoPack, testSigner } from '../../engine/policy/bundles/testing/pack-fixture.ts';
import { runCli } from '../support/run-cli.ts';

// `prodsprint policy import`: a pack signed the way OPA signs bundles is accepted only when its
// signer is trusted and nothing in it changed after signing.
let root: string;
let dataDir: string;
let keysFile: string;
let packDir: string;
let tamperedDir: string;

function writePack(dir: string, files: BundleFiles): void {
  for (const [path, data] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), data);
  }
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'prodsprint-policy-import-'));
  dataDir = join(root, 'data');
  const signer = testSigner('ES256', 'platform-team-2026');
  keysFile = join(root, 'trusted-keys.json');
  writeFileSync(
    keysFile,
    JSON.stringify({
      keys: {
        [signer.keyId]: {
          algorithm: 'ES256',
          key: signer.trusted.key.export({ type: 'spki', format: 'pem' }),
        },
      },
    }),
  );
  const pack = signedDemoPack(signer, '1.0.0');
  packDir = join(root, 'pack');
  writePack(packDir, pack);
  tamperedDir = join(root, 'tampered');
  const tampered = new Map(pack);
  tampered.set('data.json', Buffer.from(JSON.stringify({ demo: { threshold: 1 } })));
  writePack(tamperedDir, tampered);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);

describe('prodsprint policy import', () => {
  it('imports a correctly signed pack and lists it', async () => {
    const result = await cli('policy', 'import', packDir, '--trusted-keys', keysFile, '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      name: 'demo',
      revision: '1.0.0',
      signerKeyId: 'platform-team-2026',
      alreadyImported: false,
    });
    const { packs } = JSON.parse((await cli('policy', 'list', '--json')).stdout);
    expect(packs).toContainEqual(
      expect.objectContaining({ name: 'demo', revision: '1.0.0', source: 'imported' }),
    );
  });

  it('importing the same revision again changes nothing', async () => {
    const result = await cli('policy', 'import', packDir, '--trusted-keys', keysFile, '--json');
    expect(JSON.parse(result.stdout).alreadyImported).toBe(true);
  });

  it('refuses a pack changed after signing, naming the file, and imports nothing', async () => {
    const before = readdirSync(join(dataDir, 'policy-packs', 'demo'));
    const result = await cli('policy', 'import', tamperedDir, '--trusted-keys', keysFile);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refused \(modified_file\): data\.json/);
    expect(readdirSync(join(dataDir, 'policy-packs', 'demo'))).toEqual(before);
  });

  it('refuses to import without trusted keys, saying where they go', async () => {
    const result = await cli('policy', 'import', packDir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no trusted keys file at .*trusted-keys\.json/);
  });
});
