import { afterEach, describe, expect, it } from 'vitest';
import { canonicalEntry, GENESIS_PREV_HASH, sha256Hex, entrySigningMessage } from './entry.ts';
import { generateAuditKey, verifyMessage } from './keys.ts';
import { verifyLiveChain } from './live-verify.ts';
import { auditFixture, type AuditFixture } from './testing/audit-fixture.ts';
import { candidateFromRow, entryFromRow, type AuditRow } from './entry-check.ts';
import { prepared } from './statements.ts';

let fixture: AuditFixture;
afterEach(() => fixture?.cleanup());

describe('SignedAuditSink', () => {
  it('chains entries from the genesis hash and signs each entry hash', () => {
    fixture = auditFixture();
    const first = fixture.sink.append(fixture.store.db, {
      actor: { user: 'alice' },
      action: 'project.created',
      target: 'project:prj_1',
      meta: { name: 'shop' },
    });
    const second = fixture.sink.append(fixture.store.db, {
      actor: { user: 'alice' },
      action: 'project.renamed',
      target: 'project:prj_1',
    });
    const rows = prepared(
      fixture.store.db,
      'SELECT * FROM audit_log ORDER BY seq',
    ).all() as AuditRow[];
    expect(rows.map((row) => row.seq)).toEqual([1, 2]);
    expect(rows[0]!.prev_hash).toBe(GENESIS_PREV_HASH);
    expect(rows[1]!.prev_hash).toBe(first.entryHash);
    const body = {
      v: 1 as const,
      seq: 2,
      at: rows[1]!.at,
      actor: { user: 'alice', keyId: fixture.key.keyId },
      action: 'project.renamed',
      target: 'project:prj_1',
      meta: {},
      prevHash: first.entryHash,
    };
    expect(sha256Hex(canonicalEntry(body))).toBe(second.entryHash);
    expect(
      verifyMessage(
        fixture.key.publicKey,
        entrySigningMessage(second.entryHash),
        rows[1]!.signature,
      ),
    ).toBe(true);
  });

  it('redacts meta before it is hashed and stored', () => {
    fixture = auditFixture();
    fixture.redactor.register('hunter2-secret');
    fixture.sink.append(fixture.store.db, {
      actor: { user: 'bob' },
      action: 'vault.read',
      target: 'project:p',
      meta: { token: 'hunter2-secret', header: 'Bearer abcdefghijkl' },
    });
    const row = prepared(fixture.store.db, 'SELECT meta FROM audit_log').get() as { meta: string };
    expect(row.meta).toBe('{"header":"Bearer [REDACTED]","token":"[REDACTED]"}');
  });

  it('appends nothing when the caller’s transaction rolls back, and the chain stays intact', async () => {
    fixture = auditFixture();
    const { db } = fixture.store;
    fixture.sink.append(db, { actor: { user: 'a' }, action: 'x.y', target: 't' });
    expect(() =>
      db.transaction(() => {
        fixture.sink.append(db, { actor: { user: 'a' }, action: 'x.y', target: 't' });
        throw new Error('state change failed');
      })(),
    ).toThrow('state change failed');
    fixture.sink.append(db, { actor: { user: 'a' }, action: 'x.z', target: 't' });
    expect((prepared(db, 'SELECT count(*) AS n FROM audit_log').get() as { n: number }).n).toBe(2);
    expect((await verifyLiveChain(db)).ok).toBe(true);
  });

  it('refuses to sign for a key it does not hold, and signs with an operator key it does', () => {
    fixture = auditFixture();
    const operator = generateAuditKey();
    expect(() =>
      fixture.sink.append(fixture.store.db, {
        actor: { user: 'op', keyId: operator.keyId },
        action: 'plan.approved',
        target: 'blueprint:b',
      }),
    ).toThrow(/no private key/);
    fixture.sink.addSigner(operator);
    fixture.sink.append(fixture.store.db, {
      actor: { user: 'op', keyId: operator.keyId },
      action: 'plan.approved',
      target: 'blueprint:b',
    });
    const role = prepared(fixture.store.db, 'SELECT role FROM audit_keys WHERE key_id = ?').get(
      operator.keyId,
    ) as { role: string };
    expect(role.role).toBe('operator');
  });

  it('is refused by the triggers when a row is updated or deleted through SQLite', () => {
    fixture = auditFixture();
    fixture.fill(3);
    expect(() =>
      prepared(fixture.store.db, `UPDATE audit_log SET action = 'x' WHERE seq = 2`).run(),
    ).toThrow(/append-only/);
    expect(() => prepared(fixture.store.db, 'DELETE FROM audit_log WHERE seq = 3').run()).toThrow(
      /append-only/,
    );
  });

  it('rejects events without a dotted action or a target', () => {
    fixture = auditFixture();
    expect(() =>
      fixture.sink.append(fixture.store.db, {
        actor: { user: 'a' },
        action: 'not a verb',
        target: 't',
      }),
    ).toThrow(/dotted verb/);
    expect(() =>
      fixture.sink.append(fixture.store.db, { actor: { user: 'a' }, action: 'a.b', target: '' }),
    ).toThrow(/target/);
  });
});

describe('stored rows', () => {
  it('rebuild the exact bytes that were hashed, through the fast path and through RFC 8785', () => {
    fixture = auditFixture();
    fixture.sink.append(fixture.store.db, {
      actor: { user: 'zoë "q"' },
      action: 'a.b',
      target: 't\u2028x',
      meta: { z: [1, 2.5, -0, 1e21], a: { é: null, b: '\u0007' } },
    });
    const row = prepared(
      fixture.store.db,
      'SELECT * FROM audit_log WHERE seq = 1',
    ).get() as AuditRow;
    const fast = candidateFromRow(row);
    expect(fast.canonical).toBe(canonicalEntry(entryFromRow(row)));
    expect(sha256Hex(fast.canonical)).toBe(row.entry_hash);
  });
});
