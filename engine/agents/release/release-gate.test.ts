/**
 * Freeze windows and approvals block a release through the policy gate (issue 9). The real gate
 * (engine/policy) is being built by another engineer: these tests inject a STUB gate with the
 * two rules, and check that the release run blocks with the gate's reasons, changes no traffic,
 * and records the refusal on the release.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RunEngine, showRun, isTerminal, type RunInfo } from '../../runs/index.ts';
import { RecordingAuditSink } from '../../runs/testing/recording-audit-sink.ts';
import { openTestStore, type TestStore } from '../../runs/testing/test-store.ts';
import { Redactor } from '../../secrets/redact.ts';
import type { Target } from '../../targets/target.ts';
import { getRelease, releaseIdOf, releaseRun, type GateInput, type ReleaseGate } from './index.ts';

/** Stub of the policy gate: a freeze window on 2026-12-24..26 and one approval per environment. */
const stubGate: ReleaseGate = (input: GateInput) => {
  const deny: string[] = [];
  const day = input.at.slice(0, 10);
  if (day >= '2026-12-24' && day <= '2026-12-26')
    deny.push(
      `freeze window "holidays" (2026-12-24 to 2026-12-26) is active for ${input.environment}`,
    );
  if (!input.approvals.some((a) => a.environment === input.environment))
    deny.push(`release to ${input.environment} needs an approval; none was given`);
  return { allow: deny.length === 0, deny };
};

const calls: string[] = [];
const target = {
  kind: 'docker',
  deploy: async () => {
    calls.push('deploy');
    return { version: 'v2', changed: true, instances: [] };
  },
  setTraffic: async (weights: Record<string, number>) => {
    calls.push('traffic');
    return weights;
  },
} as unknown as Target;

const input = {
  environment: 'prod',
  version: 'v2',
  image: 'local/app:v2',
  stableVersion: 'v1',
  thresholds: { maxErrorRate: 0.05, maxP95Seconds: 0.2, minRequests: 20 },
};

let test: TestStore | undefined;
let engine: RunEngine | undefined;
afterEach(async () => {
  await engine?.stop();
  test?.dispose();
  calls.length = 0;
});

async function release(
  at: string,
  approvals: GateInput['approvals'],
  gate: ReleaseGate = stubGate,
) {
  test = openTestStore();
  const audit = new RecordingAuditSink();
  const clock = { now: () => Date.parse(at), setTimer: () => ({ id: 0 }), clearTimer: () => {} };
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
    input: { ...input, approvals },
    actor: { user: 'u' },
  });
  let info: RunInfo = showRun(test.store.db, runId);
  for (let i = 0; i < 200 && !isTerminal(info.status); i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    info = showRun(test.store.db, runId);
  }
  return { info, release: getRelease(test.store.db, releaseIdOf(runId))! };
}

describe('release policy gate (stub gate)', () => {
  it('given a freeze window, the release is blocked with the window named', async () => {
    const { info, release: r } = await release('2026-12-25T10:00:00Z', [
      { environment: 'prod', by: 'lead' },
    ]);
    expect(info.status).toBe('blocked');
    expect(info.stage).toBe('gate');
    expect(info.reason).toMatch(/freeze window "holidays" .* is active for prod/);
    expect(r.phase).toBe('blocked');
    expect(r.detail.decisions[0]?.reason).toMatch(/freeze window/);
    expect(calls).toEqual([]);
  });

  it('given no approval for the environment, the release is blocked saying so', async () => {
    const { info, release: r } = await release('2026-11-25T10:00:00Z', [
      { environment: 'staging', by: 'lead' },
    ]);
    expect(info.status).toBe('blocked');
    // The run engine appends the block's remedy to the reason (engine/runs stage-errors.ts).
    expect(info.reason).toMatch(
      /^release blocked by policy gate: release to prod needs an approval; none was given\b/,
    );
    expect(info.reason).toMatch(/obtain the missing approvals/);
    expect(r.phase).toBe('blocked');
    expect(calls).toEqual([]);
  });

  it('given a gate that cannot be evaluated, the release is blocked (fail closed)', async () => {
    const broken: ReleaseGate = () => {
      throw new Error('policy pack "baseline" failed to load');
    };
    const { info } = await release('2026-11-25T10:00:00Z', [], broken);
    expect(info.status).toBe('blocked');
    expect(info.reason).toMatch(/could not be evaluated: policy pack "baseline" failed to load/);
    expect(calls).toEqual([]);
  });

  it('given an approval outside a freeze window, the gate lets the release deploy', async () => {
    const gate: ReleaseGate = (i) => stubGate(i);
    const { release: r } = await release(
      '2026-11-25T10:00:00Z',
      [{ environment: 'prod', by: 'lead' }],
      gate,
    );
    expect(r.phase).not.toBe('blocked');
    expect(calls[0]).toBe('deploy');
  });
});
