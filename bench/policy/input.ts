// A realistic gate input for the policy bench: what a mid-sized service's release looks like.
import type { GateInput } from '../../engine/policy/gates/input.ts';

const severities = ['MEDIUM', 'LOW', 'MEDIUM', 'LOW', 'UNKNOWN'] as const;

/** A passing release: 40 medium/low findings and two waived HIGHs, so every rule is exercised. */
export function realisticInput(): GateInput {
  const vulns: NonNullable<GateInput['vulns']> = Array.from({ length: 40 }, (_, i) => ({
    id: `CVE-2025-${String(10000 + i)}`,
    severity: severities[i % severities.length]!,
    package: `pkg-${i}`,
    installed: `1.${i}.0`,
    fixed: i % 3 === 0 ? null : `1.${i}.1`,
  }));
  vulns.push(
    { id: 'CVE-2025-20001', severity: 'HIGH', package: 'libfoo', installed: '2.0.0', fixed: null },
    { id: 'CVE-2025-20002', severity: 'HIGH', package: 'libbar', installed: '0.9.1', fixed: null },
  );
  return {
    time: '2026-11-25T10:00:00Z',
    environment: 'production',
    change: { reference: 'CHG-4821', author: 'ann' },
    coverage: { linesPct: 84.7, threshold: 80, thresholdSource: 'project' },
    sbom: { present: true, format: 'CycloneDX 1.6', components: 612 },
    vulns,
    perf: { p95Ms: 182, errorRate: 0.0012, budget: { p95Ms: 300, errorRate: 0.01 } },
    cost: { monthly: 742.5, ceiling: 1000, currency: 'EUR' },
    approvals: [
      { who: 'bob', role: 'release-manager', at: '2026-11-25T09:12:00Z' },
      { who: 'cho', role: 'security', at: '2026-11-25T09:40:00Z' },
    ],
    freezeWindows: [
      { from: '2026-12-20T00:00:00Z', to: '2027-01-03T00:00:00Z', reason: 'year end' },
      { from: '2026-11-27T00:00:00Z', to: '2026-11-30T00:00:00Z', reason: 'Black Friday' },
    ],
    waivers: [
      {
        rule: 'baseline.vulns',
        subject: 'CVE-2025-20001',
        expiresAt: '2026-12-31T00:00:00Z',
        approver: 'sec-lead',
        reason: 'not reachable',
      },
      {
        rule: 'baseline.vulns',
        subject: 'CVE-2025-20002',
        expiresAt: '2026-12-31T00:00:00Z',
        approver: 'sec-lead',
        reason: 'vendor patch pending',
      },
    ],
    audit: { retentionDays: 400, signed: true },
    iac: null,
    config: { scanner: 'trivy config', findings: [] },
  };
}
