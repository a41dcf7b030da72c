/**
 * What a sprint ends with: the summary a person acts on (and CI archives as JSON), built from
 * the apply run's stage outputs. Kept apart from the command so the figures' wording lives in
 * one place that the demo, the bench and the e2e tests all read.
 */
export interface Gate {
  gate: string;
  status: 'passed' | 'blocked' | 'not run';
  figures: string;
}

export interface Rollout {
  /** The version that served prod before; null for a first release. */
  fromVersion: string | null;
  /** Traffic steps the plan had (1 for a first release: nothing to split traffic with). */
  steps: number;
  /** One per analysis window: `next` (healthy), `hold` (inconclusive) or `rollback`. */
  decisions: Array<{ step: number; action: string; reason: string }>;
}

export interface SprintSummary {
  projectId: string;
  blueprintId: string;
  planHash: string;
  approvalId: string;
  selfApproved: boolean;
  version: string;
  branch: string;
  applyRunId: string;
  outcome: 'promoted' | 'blocked' | 'rolled-back' | 'failed';
  blockedAt: { stage: string; reason: string; remedy: string | null } | null;
  gates: Gate[];
  releaseId: string | null;
  releasePhase: string | null;
  /** How prod took the version: the canary's analysed steps, or a first release's one switch. */
  rollout: Rollout | null;
  timeToStagingSeconds: number | null;
  /** When the first canary step took real traffic in prod (the seed SLO's "canary start"). */
  timeToCanaryStartSeconds: number | null;
  /** When the release was promoted to 100%. */
  timeToProdSeconds: number | null;
  syntheticTraffic: { requests: number; failures: number; connectionErrors: number } | null;
  artifactsDir: string;
  sbomPath: string | null;
  bundle: { path: string; verified: boolean; entries: number } | null;
  /** What the sprint went ahead without but a person should fix, each with its remedy. */
  warnings: Array<{ subject: string; reason: string; remedy: string }>;
}

export function gatesOf(
  stages: Array<{ name: string; status: string }>,
  outputs: Record<string, unknown>,
): Gate[] {
  const status = (name: string): Gate['status'] => {
    const stage = stages.find((s) => s.name === name);
    if (stage?.status === 'done') return 'passed';
    if (stage?.status === 'blocked') return 'blocked';
    return 'not run';
  };
  const o = outputs as Record<string, Record<string, unknown> | undefined>;
  const tests = o.tests as
    | {
        passed: number | null;
        failed: number | null;
        linesPct: number | null;
        runner: string;
        datastores?: string | null;
        skipped?: string | null;
      }
    | undefined;
  const sbom = o.sbom as { components: number; format: string } | undefined;
  const vulns = o.vulns as { findings: unknown[] | null; advisoriesKnown: number } | undefined;
  const scan = o['config-scan'] as { findings: unknown[]; scanner: string } | undefined;
  const perf = o.perf as
    { generator: string; p95Ms: number | null; errorRate: number | null } | undefined;
  const smoke = o.smoke as
    { checks: Array<{ path: string; status: number; ok: boolean }> } | undefined;
  const policy = o.policy as { decisions: Array<{ pack: string; allow: boolean }> } | undefined;
  return [
    {
      gate: 'tests',
      status: status('tests'),
      figures: tests?.skipped
        ? `no tests ran: ${tests.skipped}`
        : tests
          ? `${tests.passed ?? '?'} passed, ${tests.failed ?? '?'} failed, line coverage ${tests.linesPct ?? 'n/a'}% (${tests.runner}${tests.datastores ? `, with ${tests.datastores}` : ''})`
          : '',
    },
    {
      gate: 'sbom',
      status: status('sbom'),
      figures: sbom ? `${sbom.format}, ${sbom.components} components` : '',
    },
    {
      gate: 'vulnerabilities',
      status: status('vulns'),
      figures: vulns
        ? vulns.findings === null
          ? 'no advisories imported: the scan cannot be shown clean'
          : `${vulns.findings.length} finding(s) against ${vulns.advisoriesKnown} imported advisories`
        : '',
    },
    {
      gate: 'config-scan',
      status: status('config-scan'),
      figures: scan ? `${scan.scanner}: ${scan.findings.length} HIGH/CRITICAL` : '',
    },
    {
      gate: 'perf',
      status: status('perf'),
      figures: perf
        ? `p95 ${perf.p95Ms?.toFixed(1) ?? 'n/a'} ms, errors ${perf.errorRate === null ? 'n/a' : (perf.errorRate * 100).toFixed(2)}% (${perf.generator})`
        : '',
    },
    {
      gate: 'policy',
      status: status('policy'),
      figures: policy
        ? policy.decisions.map((d) => `${d.pack} ${d.allow ? 'allow' : 'deny'}`).join(', ')
        : '',
    },
    {
      gate: 'staging+smoke',
      status: status('smoke'),
      figures: smoke
        ? `${smoke.checks.filter((c) => c.ok).length}/${smoke.checks.length} smoke checks answered (${smoke.checks.map((c) => `${c.path} ${c.status}`).join(', ')})`
        : '',
    },
  ];
}

export function renderSummary(s: SprintSummary): string {
  const lines = [
    '',
    `Sprint of ${s.projectId} version ${s.version}: ${s.outcome.toUpperCase()}`,
    `  plan          ${s.blueprintId} (hash ${s.planHash.slice(0, 16)}…), ${s.selfApproved ? 'self-approved (recorded in the audit chain)' : 'approved'}`,
    `  branch        ${s.branch}`,
    '  gates',
    ...s.gates.map((g) => `    ${g.gate.padEnd(16)} ${g.status.padEnd(8)} ${g.figures}`),
  ];
  if (s.blockedAt) {
    lines.push(`  blocked at    ${s.blockedAt.stage}: ${s.blockedAt.reason}`);
    if (s.blockedAt.remedy) lines.push(`  remedy        ${s.blockedAt.remedy}`);
  }
  for (const warning of s.warnings) {
    lines.push(`  warning       ${warning.subject}: ${warning.reason}`);
    lines.push(`                → ${warning.remedy}`);
  }
  if (s.releaseId) lines.push(`  release       ${s.releaseId}: ${s.releasePhase}`);
  if (s.rollout) lines.push(`  rollout       ${describeRollout(s.rollout)}`);
  if (s.syntheticTraffic)
    lines.push(
      `  canary load   ${s.syntheticTraffic.requests} synthetic requests, ${s.syntheticTraffic.failures} 5xx, ${s.syntheticTraffic.connectionErrors} connection errors`,
    );
  lines.push(
    `  time          to staging ${s.timeToStagingSeconds ?? 'n/a'} s, to canary start ${s.timeToCanaryStartSeconds ?? 'n/a'} s, to prod ${s.timeToProdSeconds ?? 'n/a'} s`,
    `  artifacts     ${s.artifactsDir}`,
    ...(s.sbomPath ? [`  sbom          ${s.sbomPath}`] : []),
    ...(s.bundle
      ? [
          `  audit bundle  ${s.bundle.path} (${s.bundle.verified ? 'verified' : 'NOT verified'}, ${s.bundle.entries} entries)`,
        ]
      : []),
  );
  return lines.join('\n');
}

function describeRollout(rollout: Rollout): string {
  if (rollout.fromVersion === null)
    return 'first release: 100% at once after staging and smoke (no earlier version to split traffic with)';
  // `next` moves on from a healthy step; `promote` is the healthy verdict at 100%.
  const healthy = rollout.decisions.filter(
    (d) => d.action === 'next' || d.action === 'promote',
  ).length;
  return `canary from ${rollout.fromVersion} in ${rollout.steps} steps, ${healthy} healthy analysis window(s) of ${rollout.decisions.length}`;
}
