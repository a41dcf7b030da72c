/**
 * The release gate on the real baseline pack (policies/baseline, loaded as engine/policy loads
 * it): a freeze window and a missing prod approval block with the pack's message and
 * remediation, a release with its evidence and approval passes, and the release run blocks on
 * the real gate without touching traffic. Missing evidence denies (fail closed).
 */
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readPackDir } from '../../policy/gates/pack-files.ts';
import { loadPack, type Pack } from '../../policy/gates/pack.ts';
import { RunEngine, isTerminal, showRun, type RunInfo } from '../../runs/index.ts';
import { RecordingAuditSink } from '../../runs/testing/recording-audit-sink.ts';
import { openTestStore, type TestStore } from '../../runs/testing/test-store.ts';
import { Redactor } from '../../secrets/redact.ts';
import type { Target } from '../../targets/target.ts';
import { getRelease, releaseIdOf, releaseRun, type GateInput } from './index.ts';
import { policyReleaseGate, type ReleaseEvidence } from './policy-gate.ts';

let pack: Pack;
beforeAll(async () => {
  pack = loadPack(await readPackDir(join(import.meta.dirname, '../../../policies/baseline')));
});

/** What the earlier stages measured for a release that passes every baseline check. */
const evidence: Partial<ReleaseEvidence> = {
  change: { reference: 'CHG-1', author: 'ann' },
  coverage: { linesPct: 91, threshold: null, thresholdSource: 'pack' },
  sbom: { present: true, format: 'CycloneDX 1.6', components: 12 },
  vulns: [],
  perf: { p95Ms: 120, errorRate: 0.001, budget: { p95Ms: 300, errorRate: 0.01 } },
  cost: { monthly: 100, ceiling: 500, currency: 'EUR' },
  audit: { retentionDays: 400, signed: true },
  config: { scanner: 'trivy config', findings: [] },
};
const freezeWindows = [
  { from: '2026-12-24T00:00:00Z', to: '2026-12-27T00:00:00Z', reason: 'holidays' },
];

function ask(at: string, approvals: GateInput['approvals']): GateInput {
  return {
    projectId: 'prj_1',
    environment: 'prod',
    version: 'v2',
    strategy: 'canary',
    at,
    approvals,
    risk: { score: 0, factors: { size: 0, migrations: 0, recentFailures: 0 } },
  };
}
const lead = [{ environment: 'prod', by: 'lead' }];

describe('policyReleaseGate (real baseline pack)', () => {
  const gate = () =>
    policyReleaseGate({ pack, freezeWindows, evidence, requiredApprovals: { prod: 1 } });

  it('allows an approved release with its evidence outside a freeze window', async () => {
    expect(await gate()(ask('2026-11-25T10:00:00Z', lead))).toEqual({
      allow: true,
      deny: [],
      remediation: [],
    });
  });

  it('blocks a release inside a freeze window, with the rule, its message and remediation', async () => {
    const decision = await gate()(ask('2026-12-25T10:00:00Z', lead));
    expect(decision.allow).toBe(false);
    expect(decision.deny).toEqual([
      'change falls in the freeze window 2026-12-24T00:00:00Z to 2026-12-27T00:00:00Z (holidays) [baseline.freeze 2026-12-24T00:00:00Z]',
    ]);
    expect(decision.remediation?.[0]).toMatch(/^Wait until 2026-12-27T00:00:00Z/);
  });

  it('blocks a prod release whose only approval is for staging', async () => {
    const decision = await gate()(
      ask('2026-11-25T10:00:00Z', [{ environment: 'staging', by: 'lead' }]),
    );
    expect(decision.allow).toBe(false);
    expect(decision.deny).toEqual([
      '0 approval(s) recorded, 1 required [baseline.approvals]',
      'a release to prod needs 1 approval(s) for prod; 0 given [release.approvals prod]',
    ]);
    expect(decision.remediation).toContain('Ask an approver to approve the plan in ProdSprint.');
  });

  it('a freeze window for another environment does not block', async () => {
    const other = policyReleaseGate({
      pack,
      evidence,
      freezeWindows: [{ ...freezeWindows[0]!, environments: ['staging'] }],
    });
    expect((await other(ask('2026-12-25T10:00:00Z', lead))).allow).toBe(true);
  });

  it('denies on every measurement the evidence does not give (fail closed)', async () => {
    const decision = await policyReleaseGate({ pack })(ask('2026-11-25T10:00:00Z', lead));
    expect(decision.allow).toBe(false);
    expect(decision.deny).toEqual(
      expect.arrayContaining([
        'line coverage was not measured [baseline.coverage]',
        'no SBOM was produced for this build [baseline.sbom]',
        'no vulnerability scan result [baseline.vulns]',
        'no performance results [baseline.perf]',
      ]),
    );
  });
});

describe('release run with the real policy gate', () => {
  let test: TestStore | undefined;
  let engine: RunEngine | undefined;
  afterEach(async () => {
    await engine?.stop();
    test?.dispose();
  });

  async function release(at: string, approvals: GateInput['approvals']) {
    test = openTestStore();
    const calls: string[] = [];
    // The gate stage never reaches the target when it blocks; a deploy is recorded and refused.
    const target = {
      deploy: async () => {
        calls.push('deploy');
        throw new Error('stop here');
      },
    } as unknown as Target;
    const audit = new RecordingAuditSink();
    const clock = { now: () => Date.parse(at), setTimer: () => ({ id: 0 }), clearTimer: () => {} };
    const gate = policyReleaseGate({
      pack,
      freezeWindows,
      evidence,
      requiredApprovals: { prod: 1 },
    });
    engine = new RunEngine({
      db: test.store.db,
      definitions: [releaseRun({ db: test.store.db, audit, target, gate, clock })],
      audit,
      redactor: new Redactor(),
      resyncMs: 0,
    });
    engine.start();
    const { runId } = engine.submit({
      projectId: test.project(),
      kind: 'release',
      input: {
        environment: 'prod',
        version: 'v2',
        image: 'local/app:v2',
        stableVersion: 'v1',
        approvals,
        thresholds: { maxErrorRate: 0.05, maxP95Seconds: 0.2, minRequests: 20 },
      },
      actor: { user: 'u' },
    });
    let info: RunInfo = showRun(test.store.db, runId);
    for (let i = 0; i < 400 && !isTerminal(info.status) && calls.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      info = showRun(test.store.db, runId);
    }
    return { info, calls, release: getRelease(test.store.db, releaseIdOf(runId))! };
  }

  it('a freeze window blocks the run with the pack reason and remediation', async () => {
    const { info, calls, release: r } = await release('2026-12-25T10:00:00Z', lead);
    expect(info.status).toBe('blocked');
    expect(info.reason).toMatch(/freeze window 2026-12-24T00:00:00Z to .* \(holidays\)/);
    expect(r.phase).toBe('blocked');
    expect(calls).toEqual([]);
  });

  it('an approved release outside a freeze window passes the gate and deploys', async () => {
    const { calls, release: r } = await release('2026-11-25T10:00:00Z', lead);
    expect(r.phase).not.toBe('blocked');
    expect(calls[0]).toBe('deploy');
  });
});
