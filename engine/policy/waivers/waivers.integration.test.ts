import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyLiveChain } from '../../audit/index.ts';
import { auditFixture, type AuditFixture } from '../../audit/testing/audit-fixture.ts';
import {
  grantWaiver,
  listActiveWaivers,
  revokeWaiver,
  WaiverError,
  type GrantWaiverOptions,
} from './waivers.ts';

let fx: AuditFixture;
const now = new Date('2026-03-01T12:00:00.000Z');
const clock = (): Date => now;

beforeEach(() => {
  fx = auditFixture();
  const at = '2026-01-01T00:00:00.000Z';
  const db = fx.store.db;
  db.prepare('INSERT INTO orgs (id, name, created_at) VALUES (?, ?, ?)').run('org_1', 'acme', at);
  db.prepare('INSERT INTO workspaces (id, org_id, name, created_at) VALUES (?, ?, ?, ?)').run(
    'ws_1',
    'org_1',
    'w',
    at,
  );
  for (const p of ['prj_1', 'prj_2'])
    db.prepare(
      'INSERT INTO projects (id, workspace_id, name, repo_url, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(p, 'ws_1', p, 'file:///repo', at, at);
});
afterEach(() => fx.cleanup());

const grant = (over: Partial<GrantWaiverOptions> = {}) =>
  grantWaiver({
    db: fx.store.db,
    sink: fx.sink,
    projectId: 'prj_1',
    rule: 'baseline.vulns.no_high',
    subject: 'CVE-2026-0001',
    reason: 'not reachable: the parser is never given user input',
    approver: 'carol@example.com',
    expiresAt: '2026-03-15T00:00:00Z',
    clock,
    ...over,
  });

const auditCount = (): number =>
  (fx.store.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;

describe('waivers (given a project in a store with the signed audit sink)', () => {
  it('grants a valid waiver, audited, and lists it while in force', async () => {
    const waiver = grant();
    expect(waiver).toMatchObject({
      projectId: 'prj_1',
      expiresAt: '2026-03-15T00:00:00.000Z',
      createdAt: now.toISOString(),
    });
    expect(listActiveWaivers(fx.store.db, { projectId: 'prj_1', now })).toEqual([waiver]);
    expect(listActiveWaivers(fx.store.db, { projectId: 'prj_2', now })).toEqual([]);
    const entry = fx.store.db
      .prepare('SELECT action, actor_user, meta FROM audit_log')
      .get() as Record<string, string>;
    expect(entry).toMatchObject({
      action: 'policy.waiver.granted',
      actor_user: 'carol@example.com',
    });
    expect(JSON.parse(entry['meta']!)).toMatchObject({
      waiverId: waiver.id,
      subject: 'CVE-2026-0001',
    });
    expect((await verifyLiveChain(fx.store.db)).ok).toBe(true);
  });

  it.each([
    [{ expiresAt: '2026-03-01T11:59:59Z' }, 'expiresAt: 2026-03-01T11:59:59Z is not in the future'],
    [{ expiresAt: '2026-03-01T12:00:00Z' }, 'is not in the future'],
    [{ expiresAt: 'next tuesday' }, 'is not an ISO-8601 time with a zone'],
    [{ expiresAt: '2026-03-15T00:00:00' }, 'is not an ISO-8601 time with a zone'],
    [{ expiresAt: '2028-01-01T00:00:00Z' }, 'more than 366 days away'],
    [{ approver: '  ' }, 'approver: is required'],
    [{ reason: '' }, 'reason: is required'],
    [{ rule: '' }, 'rule: is required'],
    [{ subject: '' }, 'subject: is required'],
    [{ projectId: 'prj_missing' }, 'projectId: no project prj_missing'],
  ])('refuses %o and writes nothing', (over, message) => {
    expect(() => grant(over)).toThrow(WaiverError);
    expect(() => grant(over)).toThrow(message);
    expect(listActiveWaivers(fx.store.db, { now })).toEqual([]);
    expect(auditCount()).toBe(0);
  });

  it('excludes expired waivers by the injected clock', () => {
    const waiver = grant({ expiresAt: '2026-03-02T00:00:00Z' });
    expect(listActiveWaivers(fx.store.db, { now: new Date('2026-03-01T23:59:59Z') })).toEqual([
      waiver,
    ]);
    expect(listActiveWaivers(fx.store.db, { now: new Date('2026-03-02T00:00:00Z') })).toEqual([]);
  });

  it('revokes once, audited, and the waiver stops counting', async () => {
    const kept = grant({ subject: 'CVE-2026-0002' });
    const revoked = grant();
    const opts = {
      db: fx.store.db,
      sink: fx.sink,
      waiverId: revoked.id,
      user: 'dave@example.com',
      reason: 'fixed',
    };
    expect(revokeWaiver(opts)).toBe(true);
    expect(revokeWaiver(opts)).toBe(false);
    expect(revokeWaiver({ ...opts, waiverId: 'wvr_unknown' })).toBe(false);
    expect(listActiveWaivers(fx.store.db, { now }).map((w) => w.id)).toEqual([kept.id]);
    const actions = fx.store.db.prepare('SELECT action FROM audit_log ORDER BY seq').all();
    expect(actions).toEqual([
      { action: 'policy.waiver.granted' },
      { action: 'policy.waiver.granted' },
      { action: 'policy.waiver.revoked' },
    ]);
    expect((await verifyLiveChain(fx.store.db)).ok).toBe(true);
  });
});
