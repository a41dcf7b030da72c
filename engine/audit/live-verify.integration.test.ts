import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalEntry, sha256Hex } from './entry.ts';
import { entryFromRow, type AuditRow } from './entry-check.ts';
import { generateAuditKey, publicKeyPem } from './keys.ts';
import { verifyLiveChain } from './live-verify.ts';
import { prepared } from './statements.ts';
import { auditFixture, type AuditFixture } from './testing/audit-fixture.ts';
import { signTreeHead } from './tree-head.ts';

let fixture: AuditFixture;
afterEach(() => fixture?.cleanup());

/** Edits the database behind the app's back, as someone with the file and the sqlite3 CLI would. */
function sqlite3(sql: string): void {
  execFileSync('sqlite3', [fixture.store.file, sql]);
}

function logOf(entries: number, headAt?: number): void {
  fixture = auditFixture();
  fixture.fill(headAt ?? entries);
  if (headAt !== undefined) {
    signTreeHead(fixture.store.db, fixture.key);
    fixture.fill(entries - headAt);
  }
}

describe('verifyLiveChain', () => {
  it('accepts an untouched log and every stored tree head', async () => {
    logOf(350, 300);
    const result = await verifyLiveChain(fixture.store.db);
    expect(result).toMatchObject({ ok: true, entries: 350, treeHeadsChecked: 1 });
  });

  it('names a row whose field was edited with the sqlite3 CLI (triggers dropped first)', async () => {
    logOf(350, 300);
    sqlite3(
      `DROP TRIGGER audit_log_no_update; UPDATE audit_log SET target = 'run:forged' WHERE seq = 123;`,
    );
    const result = await verifyLiveChain(fixture.store.db);
    expect(result.ok).toBe(false);
    expect(result.problem).toMatchObject({ table: 'audit_log', seq: 123 });
    expect(result.message).toMatch(/^audit_log seq 123: content does not match its entry hash/);
  });

  it('names a row edited with its entry hash recomputed: the signature gives it away', async () => {
    logOf(50);
    const row = prepared(
      fixture.store.db,
      'SELECT * FROM audit_log WHERE seq = 17',
    ).get() as AuditRow;
    const forgedHash = sha256Hex(
      canonicalEntry(entryFromRow({ ...row, action: 'policy.gate.waived' })),
    );
    sqlite3(
      `DROP TRIGGER audit_log_no_update; UPDATE audit_log SET action = 'policy.gate.waived', entry_hash = '${forgedHash}' WHERE seq = 17;`,
    );
    const result = await verifyLiveChain(fixture.store.db);
    expect(result.message).toMatch(/^audit_log seq 17: signature does not verify/);
  });

  it('names a deleted row, and a truncated tail that a tree head still covers', async () => {
    logOf(350, 300);
    sqlite3(`DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 200;`);
    expect((await verifyLiveChain(fixture.store.db)).message).toMatch(
      /^audit_log seq 200: found seq 201 where seq 200 should be/,
    );
    fixture.cleanup();

    logOf(350, 300);
    sqlite3(`DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq > 250;`);
    expect((await verifyLiveChain(fixture.store.db)).message).toMatch(
      /^audit_tree_heads tree_size 300: tree head covers 300 entries but the log has 250/,
    );
  });

  it('names a public key swapped in audit_keys', async () => {
    logOf(10);
    const other = publicKeyPem(generateAuditKey().publicKey);
    sqlite3(
      `DROP TRIGGER audit_keys_public_key_fixed; UPDATE audit_keys SET public_key = '${other}' WHERE key_id = '${fixture.key.keyId}';`,
    );
    const result = await verifyLiveChain(fixture.store.db);
    expect(result.message).toBe(
      `audit_keys ${fixture.key.keyId}: public key of ${fixture.key.keyId} does not match its key id (fingerprint)`,
    );
  });

  it('checks in worker threads (one range each) and still names the exact row', async () => {
    logOf(3000, 2000);
    const clean = await verifyLiveChain(fixture.store.db, { parallelism: 2 });
    expect(clean).toMatchObject({ ok: true, entries: 3000, treeHeadsChecked: 1 });
    sqlite3(
      `DROP TRIGGER audit_log_no_update; UPDATE audit_log SET at = '2030-01-01T00:00:00.000Z' WHERE seq = 2501;`,
    );
    const result = await verifyLiveChain(fixture.store.db, { parallelism: 2 });
    expect(result.message).toMatch(/^audit_log seq 2501: content does not match/);
  });
});
