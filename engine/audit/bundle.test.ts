import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dataDirLayout } from '../store/data-dir.ts';
import { exportAuditBundle } from './bundle-export.ts';
import { verifyAuditBundle } from './bundle-verify.ts';
import { readTarGz } from './ustar.ts';
import { readFileSync } from 'node:fs';
import { auditFixture, type AuditFixture } from './testing/audit-fixture.ts';
import { seedArtifact, seedProject } from './testing/seed.ts';
import { signTreeHead } from './tree-head.ts';

let fixture: AuditFixture;
afterEach(() => fixture?.cleanup());

describe('audit bundle export and verification', () => {
  it('exports the whole log and verifies it, recomputing the root', async () => {
    fixture = auditFixture();
    fixture.fill(40);
    const out = join(fixture.dir, 'bundle.tar.gz');
    const exported = exportAuditBundle({ db: fixture.store.db, signer: fixture.key, outFile: out });
    expect(exported.entries).toBe(40);
    const result = await verifyAuditBundle(out, { trustedKeyIds: [fixture.key.keyId] });
    expect(result.message).toMatch(/^bundle OK: 40 entries of a log of 40/);
    expect(result.ok).toBe(true);
    expect(result.signerKeyId).toBe(fixture.key.keyId);
    // The fixture's sink signs without openAuditLog, so its key was never announced.
    expect(result.warnings).toEqual([
      `key ${fixture.key.keyId} signs from seq 1 but no earlier key.* entry introduces it`,
    ]);
  });

  it('filters by project and time, proves each entry against the full log, and carries artifacts', async () => {
    fixture = auditFixture();
    const { db } = fixture.store;
    seedProject(db, 'prj_a');
    const sha = seedArtifact(
      db,
      dataDirLayout(fixture.dir).artifacts,
      'prj_a',
      'plan.json',
      '{"plan":1}',
    );
    fixture.fill(10);
    fixture.sink.append(db, {
      actor: { user: 'alice' },
      action: 'plan.created',
      target: 'project:prj_a',
      meta: { artifact: { sha256: sha } },
    });
    fixture.fill(10);
    fixture.sink.append(db, {
      actor: { user: 'alice' },
      action: 'plan.approved',
      target: 'blueprint:b1',
      meta: { projectId: 'prj_a' },
    });
    signTreeHead(db, fixture.key);
    fixture.fill(5);
    const out = join(fixture.dir, 'prj.tar.gz');
    const exported = exportAuditBundle({
      db,
      signer: fixture.key,
      outFile: out,
      projectId: 'prj_a',
    });
    expect(exported.entries).toBe(2);
    expect(exported.treeHead.treeSize).toBe(27);
    const files = readTarGz(readFileSync(out));
    expect(files.get(`artifacts/${sha}`)?.toString()).toBe('{"plan":1}');
    expect(files.has('consistency.json')).toBe(true);
    const result = await verifyAuditBundle(out);
    expect(result.message).toMatch(/^bundle OK: 2 entries of a log of 27/);

    const none = exportAuditBundle({
      db,
      signer: fixture.key,
      outFile: join(fixture.dir, 'none.tar.gz'),
      to: '2000-01-01T00:00:00Z',
    });
    expect(none.entries).toBe(0);
    expect((await verifyAuditBundle(none.file)).ok).toBe(true);
  });

  it('declares an artifact that is gone instead of failing the export, and the verifier warns', async () => {
    fixture = auditFixture();
    fixture.sink.append(fixture.store.db, {
      actor: { user: 'a' },
      action: 'sbom.created',
      target: 'project:p',
      meta: { artifacts: [{ sha256: 'ab'.repeat(32) }] },
    });
    const out = join(fixture.dir, 'b.tar.gz');
    expect(
      exportAuditBundle({ db: fixture.store.db, signer: fixture.key, outFile: out })
        .missingArtifacts,
    ).toHaveLength(1);
    const result = await verifyAuditBundle(out);
    expect(result.ok).toBe(true);
    expect(result.warnings.join('\n')).toMatch(/not available at export/);
  });

  it('fails a bundle whose signer is not among the trusted keys', async () => {
    fixture = auditFixture();
    fixture.fill(3);
    const out = join(fixture.dir, 'b.tar.gz');
    exportAuditBundle({ db: fixture.store.db, signer: fixture.key, outFile: out });
    const result = await verifyAuditBundle(out, { trustedKeyIds: ['0'.repeat(64)] });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/manifest.json: signer .* is not a trusted key/);
  });
});
