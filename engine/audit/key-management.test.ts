import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { approvalMessage, signApproval, verifyApproval } from './approvals.ts';
import { entrySigningMessage } from './entry.ts';
import { listAuditKeys } from './key-registry.ts';
import { rotateWorkstationKey, rotationMessage, verifyRotation } from './key-rotation.ts';
import { generateAuditKey, signMessage } from './keys.ts';
import { verifyLiveChain } from './live-verify.ts';
import { prepared } from './statements.ts';
import { auditFixture, type AuditFixture } from './testing/audit-fixture.ts';
import { openAuditLog } from './workstation.ts';
import { createOperatorKey, recordApproval } from './operator-keys.ts';
import { exportAuditBundle } from './bundle-export.ts';
import { verifyAuditBundle } from './bundle-verify.ts';

let fixture: AuditFixture;
afterEach(() => fixture?.cleanup());

describe('workstation key', () => {
  it('is made on first use, announced in the chain once, and reused afterwards', async () => {
    fixture = auditFixture();
    const options = {
      db: fixture.store.db,
      dataDir: fixture.dir,
      redactor: fixture.redactor,
      passphrase: 'pw',
      scryptCost: 1024,
    };
    const first = openAuditLog(options);
    expect(first.createdKey).toBe(true);
    expect(existsSync(join(fixture.dir, 'keys', 'workstation.key.json'))).toBe(true);
    const second = openAuditLog(options);
    expect(second.createdKey).toBe(false);
    expect(second.workstationKey.keyId).toBe(first.workstationKey.keyId);
    const created = prepared(
      fixture.store.db,
      `SELECT count(*) AS n FROM audit_log WHERE action = 'key.created'`,
    ).get() as { n: number };
    expect(created.n).toBe(1);
    expect(await verifyLiveChain(fixture.store.db)).toMatchObject({ ok: true, warnings: [] });
  });
});

describe('key rotation', () => {
  it('is recorded in the chain, signed by the old key and endorsed by both, and later entries use the new key', async () => {
    fixture = auditFixture();
    const { db } = fixture.store;
    fixture.fill(5);
    const oldKeyId = fixture.key.keyId;
    const { newKey, seq } = rotateWorkstationKey({
      db,
      sink: fixture.sink,
      keyFile: join(fixture.dir, 'keys', 'workstation.key.json'),
      actor: 'alice',
      scryptCost: 1024,
      passphrase: 'pw',
    });
    fixture.fill(3);
    const rotation = prepared(
      db,
      'SELECT actor_key_id, action, meta FROM audit_log WHERE seq = ?',
    ).get(seq) as { actor_key_id: string; action: string; meta: string };
    expect(rotation).toMatchObject({ actor_key_id: oldKeyId, action: 'key.rotated' });
    expect(
      verifyRotation(
        JSON.parse(rotation.meta) as Record<string, unknown>,
        fixture.key.publicKey,
        newKey.publicKey,
      ),
    ).toBe(true);
    const last = prepared(
      db,
      'SELECT actor_key_id FROM audit_log ORDER BY seq DESC LIMIT 1',
    ).get() as { actor_key_id: string };
    expect(last.actor_key_id).toBe(newKey.keyId);
    expect(listAuditKeys(db).find((key) => key.keyId === oldKeyId)).toMatchObject({
      replacedBy: newKey.keyId,
    });
    expect((await verifyLiveChain(db)).ok).toBe(true);
  });

  it('names an entry signed by the old key after the rotation, live and in a bundle', async () => {
    fixture = auditFixture();
    const { db } = fixture.store;
    fixture.fill(3);
    const oldKeyId = fixture.key.keyId;
    const { seq: rotatedAt, newKey } = rotateWorkstationKey({
      db,
      sink: fixture.sink,
      keyFile: join(fixture.dir, 'keys', 'workstation.key.json'),
      actor: 'alice',
    });
    fixture.fill(2);
    const late = fixture.sink.append(db, {
      actor: { user: 'mallory', keyId: oldKeyId },
      action: 'policy.gate.waived',
      target: 'run:r1',
    });
    const reason = `signed by key ${oldKeyId}, which was rotated out at seq ${rotatedAt}`;
    expect((await verifyLiveChain(db)).message).toBe(`audit_log seq ${late.seq}: ${reason}`);
    const out = join(fixture.dir, 'late.tar.gz');
    exportAuditBundle({ db, signer: newKey, outFile: out });
    const bundle = await verifyAuditBundle(out);
    expect(bundle.problem).toEqual({
      file: 'entries.jsonl',
      line: late.seq,
      seq: late.seq,
      reason,
    });
  });

  it('rejects a hand-over endorsed by only one of the two keys', () => {
    const oldKey = generateAuditKey();
    const newKey = generateAuditKey();
    const message = rotationMessage(oldKey.keyId, newKey.keyId);
    const meta = {
      oldKeyId: oldKey.keyId,
      newKeyId: newKey.keyId,
      oldKeySignature: signMessage(oldKey.privateKey, message),
      newKeySignature: signMessage(oldKey.privateKey, message),
    };
    expect(verifyRotation(meta, oldKey.publicKey, newKey.publicKey)).toBe(false);
  });
});

describe('approvals', () => {
  const planHash = 'c0ffee'.padEnd(64, '0');

  it('are an operator signature over the plan hash that verifies only for that plan and key', () => {
    const operator = generateAuditKey();
    const approval = signApproval(planHash, 'olivia@example.com', operator);
    expect(approval.keyId).toBe(operator.keyId);
    expect(verifyApproval(approval, operator.publicKey)).toBe(true);
    expect(verifyApproval({ ...approval, planHash: 'd'.repeat(64) }, operator.publicKey)).toBe(
      false,
    );
    expect(verifyApproval(approval, generateAuditKey().publicKey)).toBe(false);
    expect(() => signApproval('not-a-hash', 'o', operator)).toThrow(/64 lowercase hex/);
  });

  it('cannot be stood in for by an audit-entry signature over the same hash (domain separation)', () => {
    const operator = generateAuditKey();
    const entrySignature = signMessage(operator.privateKey, entrySigningMessage(planHash));
    expect(approvalMessage(planHash).equals(entrySigningMessage(planHash))).toBe(false);
    expect(
      verifyApproval(
        { planHash, approver: 'o', keyId: operator.keyId, signature: entrySignature },
        operator.publicKey,
      ),
    ).toBe(false);
  });
});

describe('operator keys and recorded approvals', () => {
  it('registers the operator key in the chain and both verifiers check the approval signature', async () => {
    fixture = auditFixture();
    const { db } = fixture.store;
    const operator = createOperatorKey({
      db,
      sink: fixture.sink,
      owner: 'olivia@example.com',
      keyFile: join(fixture.dir, 'keys', 'olivia.key.json'),
      passphrase: 'pw',
      scryptCost: 1024,
    });
    const planHash = 'ab'.repeat(32);
    const { seq } = recordApproval(db, fixture.sink, operator, {
      planHash,
      approver: 'olivia@example.com',
      target: 'blueprint:bp_1',
    });
    expect(listAuditKeys(db).find((key) => key.keyId === operator.keyId)?.role).toBe('operator');
    expect((await verifyLiveChain(db)).ok).toBe(true);
    const out = join(fixture.dir, 'b.tar.gz');
    exportAuditBundle({ db, signer: fixture.key, outFile: out });
    expect((await verifyAuditBundle(out)).ok).toBe(true);

    // An approval whose signature was made by someone else's key is named by seq.
    const forged = {
      planHash,
      approver: 'mallory',
      keyId: operator.keyId,
      signature: signApproval(planHash, 'mallory', generateAuditKey()).signature,
    };
    const bad = fixture.sink.append(db, {
      actor: { user: 'mallory' },
      action: 'plan.approved',
      target: 'blueprint:bp_1',
      meta: { approval: forged },
    });
    expect((await verifyLiveChain(db)).message).toBe(
      `audit_log seq ${bad.seq}: approval signature over plan ${planHash} does not verify`,
    );
    expect(seq).toBeLessThan(bad.seq);
  });
});

describe('a lost workstation key', () => {
  it('is not silently replaced; replacing it explicitly is recorded and retires the old key', () => {
    fixture = auditFixture();
    const options = { db: fixture.store.db, dataDir: fixture.dir, redactor: fixture.redactor };
    const first = openAuditLog(options);
    rmSync(join(fixture.dir, 'keys', 'workstation.key.json'));
    expect(() => openAuditLog(options)).toThrow(
      /key file is missing, but the audit chain is signed by key/,
    );
    const second = openAuditLog({ ...options, replaceLostKey: true });
    const meta = prepared(
      fixture.store.db,
      `SELECT meta FROM audit_log WHERE action = 'key.created' ORDER BY seq DESC LIMIT 1`,
    ).get() as { meta: string };
    expect(JSON.parse(meta.meta)).toMatchObject({
      keyId: second.workstationKey.keyId,
      replacesLostKey: first.workstationKey.keyId,
    });
    expect(
      listAuditKeys(fixture.store.db).find((key) => key.keyId === first.workstationKey.keyId)
        ?.retiredAt,
    ).not.toBeNull();
  });
});

describe('an interrupted rotation', () => {
  it('is completed on the next start when the chain committed it', () => {
    fixture = auditFixture();
    const options = { db: fixture.store.db, dataDir: fixture.dir, redactor: fixture.redactor };
    const { sink } = openAuditLog(options);
    const file = join(fixture.dir, 'keys', 'workstation.key.json');
    const { newKey } = rotateWorkstationKey({
      db: fixture.store.db,
      sink,
      keyFile: file,
      actor: 'alice',
    });
    // As if the process had died between the commit and the rename.
    renameSync(file, `${file}.next`);
    writeFileSync(file, '{}', { mode: 0o600 });
    expect(openAuditLog(options).workstationKey.keyId).toBe(newKey.keyId);
  });
});
