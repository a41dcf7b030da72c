/**
 * How the CLI prints a sprint's summary (the engine builds it: engine/agents/sprint). The
 * demo, the bench and the e2e tests read the same wording.
 */
import type { Rollout, SprintSummary } from '../engine/api/index.ts';

export type { SprintSummary };

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
