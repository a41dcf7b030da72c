/**
 * What a sprint ends with: the summary a person acts on (and CI archives as JSON), built from
 * the apply run's stage outputs by the sprint run itself, so the CLI, the HTTP API and the
 * desktop app all show the same figures.
 */
import type { Gate } from '../../contract/sprints.contract.ts';

// The summary's shape is the contract's (engine/contract/sprints.contract.ts).
export type { Gate, Rollout, SprintSummary } from '../../contract/sprints.contract.ts';

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

/** What the staging gate let through but would deny in production (the packs' `warn` sets). */
export function policyWarnings(outputs: Record<string, unknown>) {
  const policy = outputs.policy as
    | {
        decisions?: Array<{
          pack: string;
          warn?: Array<{ rule: string; message: string; remediation: string }>;
        }>;
      }
    | undefined;
  return (policy?.decisions ?? []).flatMap((decision) =>
    (decision.warn ?? []).map((item) => ({
      subject: `${decision.pack} ${item.rule}`,
      reason: `${item.message} (allowed before production, denied in prod)`,
      remedy: item.remediation,
    })),
  );
}

/** What stood in for the base images the Dockerfile asked for, when it is not the same. */
export function buildWarnings(outputs: Record<string, unknown>) {
  const build = outputs.build as
    | {
        baseImages?: Array<{ requested: string; actual: string | null; warnings: string[] }>;
        dockerfile?: string;
        dockerfileOrigin?: 'repository' | 'plan';
      }
    | undefined;
  const generated =
    build?.dockerfileOrigin === 'plan'
      ? [
          {
            subject: 'Dockerfile',
            reason: `the repository has none for this service: the plan's was built (${build.dockerfile ?? 'Dockerfile'})`,
            remedy:
              'review the proposed Dockerfile on the plan branch and merge it, or add your own',
          },
        ]
      : [];
  return [
    ...generated,
    ...(build?.baseImages ?? []).flatMap((image) =>
      image.warnings.map((warning) => ({
        subject: `base image ${image.requested}`,
        reason: `${warning}${image.actual ? ` (stand-in: ${image.actual})` : ''}`,
        remedy: `push ${image.requested} itself to the registry mirror (prodsprint config set registry.mirror <url>) for a build identical to production`,
      })),
    ),
  ];
}

/** Sample values and generated secrets the staging environment runs with. */
export function stagingWarnings(outputs: Record<string, unknown>) {
  const staging = outputs.staging as
    { warnings?: Array<{ subject: string; reason: string; remedy: string }> } | undefined;
  return staging?.warnings ?? [];
}
