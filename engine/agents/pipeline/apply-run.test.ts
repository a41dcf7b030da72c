/**
 * Every gate verdict of the apply run, given / when / then, on the real run engine and the real
 * baseline pack with a scripted toolkit (testing/pipeline-harness.ts).
 */
import { describe, expect, it } from 'vitest';
import { applyWith } from './testing/pipeline-harness.ts';

const CRITICAL_VULN = {
  id: 'CVE-2026-1',
  severity: 'CRITICAL' as const,
  package: 'left-pad',
  installed: '1.0.0',
  fixed: '1.0.1' as string | null,
};

/** A waiver of that vulnerability, expiring at `expiresAt`. */
const waiverUntil = (expiresAt: string, reason: string) => ({
  rule: 'baseline.vulns',
  subject: CRITICAL_VULN.id,
  expiresAt,
  approver: 'usr_security',
  reason,
});

describe('the apply run’s gates', () => {
  it('given healthy measurements, when the apply runs, then every stage passes and staging is smoke-tested', async () => {
    const { run, calls } = await applyWith({});
    expect(run.status).toBe('done');
    expect(calls.at(-2)).toBe('staging');
    expect(calls.at(-1)).toBe('smoke');
  });

  it('given failing tests, when the apply runs, then it is blocked at tests naming them with a remedy, and nothing is deployed', async () => {
    const { run, stopped, calls } = await applyWith({
      tests: { exitCode: 1, passed: 10, failed: 2, failures: ['orders › rejects a bad quantity'] },
    });
    expect(run.status).toBe('blocked');
    expect(stopped).toMatchObject({ stage: 'tests', status: 'blocked' });
    expect(stopped!.reason).toMatch(/tests failed: 2 failing .*orders › rejects a bad quantity/);
    expect(stopped!.reason).toMatch(/Remedy: Fix the failing tests/);
    expect(calls).not.toContain('staging');
  });

  it('given a HIGH misconfiguration, when the apply goes to staging, then the policy lets it through with a warning for production', async () => {
    const finding = { id: 'DS002', severity: 'HIGH', file: 'Dockerfile', title: 'runs as root' };
    const { run, outputs } = await applyWith({ configFindings: [finding] });
    expect(run.status).toBe('done');
    const policy = outputs.policy as {
      decisions: Array<{ allow: boolean; warn: Array<{ rule: string }> }>;
    };
    expect(policy.decisions[0]!.allow).toBe(true);
    expect(policy.decisions[0]!.warn.map((w) => w.rule)).toContain('baseline.config');
  });

  it('given a HIGH misconfiguration, when the apply targets prod, then the policy denies it with the rule’s remediation and nothing is deployed', async () => {
    const finding = { id: 'DS002', severity: 'HIGH', file: 'Dockerfile', title: 'runs as root' };
    const { run, stopped, calls } = await applyWith({
      configFindings: [finding],
      environment: 'prod',
    });
    expect(run.status).toBe('blocked');
    expect(stopped).toMatchObject({ stage: 'policy' });
    expect(stopped!.reason).toMatch(/baseline\.config: HIGH misconfiguration DS002 in Dockerfile/);
    expect(stopped!.reason).toMatch(/Remedy: Fix DS002 in Dockerfile/);
    expect(calls).not.toContain('staging');
  });

  it('given a CRITICAL vulnerability, when the apply runs, then the policy denies it with the upgrade to make', async () => {
    const { stopped } = await applyWith({
      vulns: [CRITICAL_VULN],
    });
    expect(stopped).toMatchObject({ stage: 'policy', status: 'blocked' });
    expect(stopped!.reason).toMatch(/Upgrade left-pad to 1\.0\.1 or later/);
  });

  it('given that CRITICAL vulnerability waived, when the apply runs, then the waived deny does not block and the decision records who waived it', async () => {
    const { run, outputs } = await applyWith({
      vulns: [{ ...CRITICAL_VULN, fixed: null }],
      waivers: [waiverUntil('2026-12-31T00:00:00Z', 'not reachable from the service')],
    });
    expect(run.status).toBe('done');
    const policy = outputs.policy as {
      decisions: Array<{ deny: Array<{ rule: string; waivedBy?: { approver: string } }> }>;
    };
    expect(policy.decisions[0]!.deny).toEqual([
      expect.objectContaining({
        rule: 'baseline.vulns',
        waivedBy: expect.objectContaining({ approver: 'usr_security' }),
      }),
    ]);
  });

  it('given a waiver that expired, when the apply runs, then the deny blocks again', async () => {
    const { stopped } = await applyWith({
      vulns: [{ ...CRITICAL_VULN, fixed: null }],
      waivers: [waiverUntil('2026-11-01T00:00:00Z', 'expired')],
    });
    expect(stopped).toMatchObject({ stage: 'policy', status: 'blocked' });
  });

  it('given a staging deploy that answers 503 twice then 200, when smoke runs, then it retries and passes', async () => {
    const { run, calls } = await applyWith({ smoke: [503, 503, 200] });
    expect(run.status).toBe('done');
    expect(calls.filter((c) => c === 'smoke')).toHaveLength(3);
  });

  it('given a staging deploy that keeps answering 503, when smoke has used its four looks, then the apply is blocked at smoke with the status seen', async () => {
    const { stopped, calls } = await applyWith({ smoke: [503] });
    expect(stopped).toMatchObject({ stage: 'smoke', status: 'blocked' });
    expect(stopped!.reason).toMatch(/\/healthz → 503/);
    expect(calls.filter((c) => c === 'smoke')).toHaveLength(4);
  });
});
