// Issue 6 acceptance: a gate on a fixture state denies with the expected messages.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateGate } from '../../engine/policy/gates/evaluate.ts';
import { GateInput } from '../../engine/policy/gates/input.ts';
import { readPackDir } from '../../engine/policy/gates/pack-files.ts';
import { loadPack } from '../../engine/policy/gates/pack.ts';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const fixture = async (): Promise<GateInput> =>
  GateInput.parse(JSON.parse(await readFile(here('./fixtures/gate-input.json'), 'utf8')));
const load = async (name: string) => loadPack(await readPackDir(here(`../../policies/${name}`)));

describe('given a release that misses most baseline checks', () => {
  it('the baseline gate denies with one message per broken rule', async () => {
    const decision = evaluateGate(await load('baseline'), await fixture());
    expect(decision.allow).toBe(false);
    const blocking = decision.deny.filter((d) => !d.waivedBy).map((d) => [d.rule, d.message]);
    expect(blocking).toEqual([
      ['baseline.approvals', '0 approval(s) recorded, 1 required'],
      [
        'baseline.config',
        "HIGH misconfiguration DS002 in Dockerfile: Image user should not be 'root'",
      ],
      ['baseline.cost', 'estimated monthly cost 1200 USD exceeds the ceiling of 1000 USD'],
      ['baseline.coverage', 'line coverage 71.5% is below the 80% threshold (set by pack)'],
      [
        'baseline.freeze',
        'change falls in the freeze window 2026-11-24T00:00:00Z to 2026-11-27T00:00:00Z (Black Friday)',
      ],
      ['baseline.perf', 'p95 latency 350ms exceeds the 300ms budget'],
      ['baseline.sbom', 'the SBOM lists no components'],
      ['baseline.vulns', 'HIGH vulnerability CVE-2024-0001 in lodash'],
      // Its waiver expired on 2026-11-01: ignored.
      ['baseline.vulns', 'CRITICAL vulnerability CVE-2024-0004 in libxml2'],
    ]);
    expect(decision.deny.every((d) => d.remediation.length > 0)).toBe(true);
  });

  it('reports the CRITICAL under a live waiver as waived, not dropped', async () => {
    const decision = evaluateGate(await load('baseline'), await fixture());
    expect(decision.deny.filter((d) => d.waivedBy)).toEqual([
      {
        rule: 'baseline.vulns',
        subject: 'CVE-2024-0003',
        message: 'CRITICAL vulnerability CVE-2024-0003 in openssl',
        severity: 'critical',
        remediation:
          'No fix is available for CVE-2024-0003: remove or replace openssl, or record a waiver with an expiry.',
        waivedBy: {
          approver: 'sec-lead',
          expiresAt: '2026-12-01T00:00:00Z',
          reason: 'not reachable from the API',
        },
      },
    ]);
  });

  it('soc2 adds two-person approval and the missing change reference', async () => {
    const decision = evaluateGate(await load('soc2'), await fixture());
    const soc2 = decision.deny.filter((d) => d.rule.startsWith('soc2.')).map((d) => d.message);
    expect(soc2).toEqual([
      'the change has no change-request reference',
      '0 approver(s) other than the author, 2 required',
    ]);
  });

  it('hipaa denies when the IaC summary is missing', async () => {
    const decision = evaluateGate(await load('hipaa'), await fixture());
    expect(decision.deny.find((d) => d.rule.startsWith('hipaa.'))).toMatchObject({
      rule: 'hipaa.iac',
      severity: 'critical',
      message: 'no infrastructure summary: encryption and data-store exposure cannot be checked',
    });
  });

  it('once fixed, the baseline gate allows', async () => {
    const fixed: GateInput = {
      ...(await fixture()),
      time: '2026-11-28T10:00:00Z',
      coverage: { linesPct: 82, threshold: null, thresholdSource: 'pack' },
      sbom: { present: true, format: 'CycloneDX 1.6', components: 120 },
      vulns: [],
      perf: { p95Ms: 250, errorRate: 0.001, budget: { p95Ms: 300, errorRate: 0.01 } },
      cost: { monthly: 900, ceiling: 1000, currency: 'USD' },
      approvals: [{ who: 'bob', role: 'release-manager', at: '2026-11-28T09:00:00Z' }],
      config: { scanner: 'trivy config', findings: [] },
    };
    expect(evaluateGate(await load('baseline'), fixed)).toEqual({
      allow: true,
      deny: [],
      warn: [],
    });
  });
});
