import { existsSync } from 'node:fs';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyLiveChain } from '../../audit/index.ts';
import { auditFixture, type AuditFixture } from '../../audit/testing/audit-fixture.ts';
import { activatePack, deactivatePack } from './activation.ts';
import { BundleError } from './errors.ts';
import type { BundleFiles } from './files.ts';
import { importPack } from './import-pack.ts';
import { listActivePacks, listPacks } from './pack-store.ts';
import { loadStoredPack } from './stored-pack.ts';
import { tarEntry, writeBundleTarGz } from './tar-writer.ts';
import { demoPackFiles, signedDemoPack, testSigner } from './testing/pack-fixture.ts';

const signer = testSigner('ES256');
const other = testSigner('RS256');
let fx: AuditFixture;

beforeEach(() => {
  fx = auditFixture();
  const at = '2026-01-01T00:00:00.000Z';
  fx.store.db
    .prepare('INSERT INTO orgs (id, name, created_at) VALUES (?, ?, ?)')
    .run('org_1', 'acme', at);
  for (const ws of ['ws_1', 'ws_2'])
    fx.store.db
      .prepare('INSERT INTO workspaces (id, org_id, name, created_at) VALUES (?, ?, ?, ?)')
      .run(ws, 'org_1', ws, at);
});
afterEach(() => fx.cleanup());

const actions = (): string[] =>
  (
    fx.store.db.prepare('SELECT action FROM audit_log ORDER BY seq').all() as { action: string }[]
  ).map((r) => r.action);

const importFiles = (source: string | BundleFiles) =>
  importPack({
    db: fx.store.db,
    sink: fx.sink,
    dataDir: fx.dir,
    source,
    trustedKeys: [signer.trusted],
    user: 'alice@example.com',
  });

async function refusal(source: string | BundleFiles): Promise<BundleError> {
  const error = await importFiles(source).then(
    () => new Error('pack was imported'),
    (e: unknown) => e,
  );
  if (error instanceof BundleError) return error;
  throw error;
}

describe('importPack (given a migrated store with the signed audit sink)', () => {
  it('stores a signed .tar.gz under policy-packs/<name>/<revision>, records it and audits it', async () => {
    const archive = join(fx.dir, 'demo.tar.gz');
    await writeFile(archive, writeBundleTarGz(signedDemoPack(signer)));
    const { pack, alreadyImported } = await importFiles(archive);
    expect(alreadyImported).toBe(false);
    expect(pack).toMatchObject({ name: 'demo', revision: '1.0.0', signerKeyId: signer.keyId });
    expect(pack.path).toBe(join(fx.dir, 'policy-packs', 'demo', '1.0.0'));
    expect(await readFile(join(pack.path, 'demo/coverage.rego'), 'utf8')).toContain(
      'package demo.coverage',
    );
    expect(existsSync(join(pack.path, '.signatures.json'))).toBe(true);
    expect(actions()).toEqual(['policy.pack.imported']);
    expect((await verifyLiveChain(fx.store.db)).ok).toBe(true);
  });

  it('loads a stored pack for evaluation, and refuses it once a stored file was edited', async () => {
    const { pack } = await importFiles(signedDemoPack(signer));
    expect((await loadStoredPack(pack)).manifest.revision).toBe('1.0.0');
    await appendFile(join(pack.path, 'demo/coverage.rego'), '\nallow := true\n');
    const error = await loadStoredPack(pack).then(
      () => new Error('edited pack was loaded'),
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'modified_file' });
    expect((error as Error).message).toContain('no longer match the imported digest');
  });

  it('refuses a traversing or oversized archive before anything is written', async () => {
    const archive = join(fx.dir, 'evil.tar.gz');
    await writeFile(
      archive,
      gzipSync(Buffer.concat([tarEntry('/../../x.rego', Buffer.from('x')), Buffer.alloc(1024)])),
    );
    expect(await refusal(archive)).toMatchObject({ code: 'unsafe_path', file: '/../../x.rego' });
    await writeFile(archive, writeBundleTarGz(signedDemoPack(signer)));
    const tooSmall = { maxFiles: 2, maxFileBytes: 1 << 20, maxTotalBytes: 1 << 20 };
    const error = await importPack({
      db: fx.store.db,
      sink: fx.sink,
      dataDir: fx.dir,
      source: archive,
      trustedKeys: [signer.trusted],
      user: 'alice@example.com',
      limits: tooSmall,
    }).then(
      () => new Error('oversized pack was imported'),
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'too_large' });
    expect(existsSync(join(fx.dir, 'policy-packs'))).toBe(false);
    expect(actions()).toEqual([]);
  });

  it('treats a re-import of the same content as a no-op and refuses a changed revision', async () => {
    const first = await importFiles(signedDemoPack(signer));
    const again = await importFiles(signedDemoPack(signer));
    expect(again).toMatchObject({ alreadyImported: true, pack: { id: first.pack.id } });
    const error = await refusal(signedDemoPack(signer, '1.0.0', 10));
    expect(error.code).toBe('conflict');
    expect(error.message).toContain('demo revision 1.0.0 is already imported');
    await importFiles(signedDemoPack(signer, '1.1.0', 10));
    expect(listPacks(fx.store.db).map((p) => p.revision)).toEqual(['1.0.0', '1.1.0']);
    expect(actions()).toEqual(['policy.pack.imported', 'policy.pack.imported']);
  });

  it('refuses unsigned, untrusted and tampered packs, leaving no row, directory or audit entry', async () => {
    expect((await refusal(demoPackFiles())).code).toBe('unsigned');
    expect((await refusal(signedDemoPack(other))).code).toBe('untrusted_key');
    const tampered = signedDemoPack(signer);
    tampered.set('data.json', Buffer.from('{"demo":{"threshold":0}}'));
    expect(await refusal(tampered)).toMatchObject({ code: 'modified_file', file: 'data.json' });
    expect(listPacks(fx.store.db)).toEqual([]);
    expect(existsSync(join(fx.dir, 'policy-packs'))).toBe(false);
    expect(actions()).toEqual([]);
  });

  it('checks names of members handed over in memory too', async () => {
    const files = signedDemoPack(signer);
    files.set('../escape.rego', Buffer.from('package demo.x'));
    expect(await refusal(files)).toMatchObject({ code: 'unsafe_path', file: '../escape.rego' });
  });

  it('activates per workspace, replaces another revision, deactivates — each audited', async () => {
    const v1 = (await importFiles(signedDemoPack(signer))).pack;
    const v2 = (await importFiles(signedDemoPack(signer, '2.0.0'))).pack;
    const opts = { db: fx.store.db, sink: fx.sink, user: 'bob@example.com' };
    expect(activatePack({ ...opts, workspaceId: 'ws_1', packId: v1.id })).toBe(true);
    expect(activatePack({ ...opts, workspaceId: 'ws_1', packId: v1.id })).toBe(false);
    expect(activatePack({ ...opts, workspaceId: 'ws_2', packId: v1.id })).toBe(true);
    expect(activatePack({ ...opts, workspaceId: 'ws_1', packId: v2.id })).toBe(true);
    expect(listActivePacks(fx.store.db, 'ws_1').map((p) => p.revision)).toEqual(['2.0.0']);
    expect(listActivePacks(fx.store.db, 'ws_2').map((p) => p.revision)).toEqual(['1.0.0']);
    expect(deactivatePack({ ...opts, workspaceId: 'ws_2', packId: v1.id })).toBe(true);
    expect(deactivatePack({ ...opts, workspaceId: 'ws_2', packId: v1.id })).toBe(false);
    expect(listActivePacks(fx.store.db, 'ws_2')).toEqual([]);
    const replaced = fx.store.db
      .prepare(
        "SELECT meta FROM audit_log WHERE action = 'policy.pack.activated' ORDER BY seq DESC LIMIT 1",
      )
      .get() as { meta: string };
    expect(JSON.parse(replaced.meta)).toMatchObject({ revision: '2.0.0', replaced: ['1.0.0'] });
    expect(actions().slice(2)).toEqual([
      'policy.pack.activated',
      'policy.pack.activated',
      'policy.pack.activated',
      'policy.pack.deactivated',
    ]);
    expect((await verifyLiveChain(fx.store.db)).ok).toBe(true);
  });

  it('refuses activating an unknown pack', () => {
    expect(() =>
      activatePack({
        db: fx.store.db,
        sink: fx.sink,
        user: 'bob',
        workspaceId: 'ws_1',
        packId: 'pack_nope',
      }),
    ).toThrow('no imported policy pack pack_nope');
  });
});
