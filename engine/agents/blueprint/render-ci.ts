/**
 * CI/CD per service for GitHub Actions and GitLab CI (issues 7, 15): build → tests the repository
 * has (with the datastores they need) → SAST/dependency scan → SBOM + signing → perf smoke →
 * policy gate (`prodsprint policy eval` on the run's own measurements) → staging → smoke → prod,
 * released with the commands the CLI really has. ProdSprint's files are named as its own
 * (`prodsprint-<service>.yml`); a repository that has a .gitlab-ci.yml keeps it and gets one job
 * added that runs ProdSprint's pipeline as a child. Services without a recognised toolchain get
 * no pipeline; the plan notes say so.
 */
import { parse as parseYaml } from 'yaml';
import type { PlanCi, ServiceCi } from './ci-plan.ts';
import { withChildPipeline } from './existing-ci.ts';
import type { RenderedArtifact } from './plan-model.ts';
import type { TemplateScope } from './template-engine.ts';
import type { TemplateStore } from './template-store.ts';

export const GATE_SCRIPT = '.prodsprint/gate-input.mjs';
const CHILD_ROOT = '.gitlab/ci/prodsprint.yml';

/** Figures the gate input carries from the plan itself. */
export interface GateFigures {
  costMonthly: number | null;
  costCeiling: number | null;
  currency: string;
}

const list = (items: string[]) => `[${items.join(', ')}]`;
const quoted = (slug: string, jobs: string[]) => jobs.map((job) => `'${slug}-${job}'`);
const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** What the CI templates need of one service beyond its service scope. */
export function ciScope(
  service: TemplateScope,
  ci: ServiceCi,
  plan: PlanCi,
  strategy: string,
): TemplateScope {
  const slug = String(service.slug);
  const dir = String(service.dir);
  const images = service.images as Record<string, string>;
  const kind = plan.deploy.get(slug) ?? 'none';
  const tc = ci.toolchain!;
  const hasDeploy = kind !== 'none';
  const deployStaging = hasDeploy && Boolean(service.hasStaging);
  const deployProd = hasDeploy && Boolean(service.hasProd);
  const coverage = tc.unit && tc.coverage ? tc.coverage : null;
  const canary = strategy === 'canary';
  const wait = (env: string) =>
    canary
      ? `wait --for=jsonpath='{.status.phase}'=Healthy rollout/${slug} -n ${env} --timeout=30m`
      : `rollout status deployment/${slug} -n ${env} --timeout=10m`;
  const evidence = (jobs: typeof ci.github, base: string[]) => [
    ...base,
    ...(jobs.unit ? ['unit'] : []),
    ...(jobs.integration ? ['integration'] : []),
  ];
  const githubCoverage =
    ci.github.unit && coverage
      ? [`--coverage '${coverage.format}:evidence/coverage/${basename(coverage.path)}'`]
      : [];
  const gitlabCoverage =
    ci.gitlab.unit && coverage ? [`--coverage '${coverage.format}:${dir}${coverage.path}'`] : [];
  return {
    defaultBranch: plan.defaultBranch,
    ci: {
      image: images[tc.image]!,
      installDir: tc.installDir,
      install: tc.install ?? '',
      build: tc.build ?? '',
      unit: tc.unit ?? '',
      integration: tc.integration ?? '',
      coverage: coverage ? `${dir}${coverage.path}` : '',
      services: ci.services.map((s) => ({
        name: s.name,
        image: images[s.image]!,
        env: s.env,
        options: s.options,
      })),
      env: Object.entries({ ...tc.env, ...ci.env })
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, value]) => ({ name, value })),
    },
    github: { ...ci.github },
    gitlab: { ...ci.gitlab },
    hasDeploy,
    deployStaging,
    deployProd,
    deployProdsprint: kind === 'prodsprint',
    deployKubernetes: kind === 'kubernetes',
    deployRunner:
      kind === 'prodsprint'
        ? '[self-hosted, linux, prodsprint]'
        : '[self-hosted, linux, air-gapped]',
    releaseArgs: canary ? '--strategy canary --steps 1,5,25,100' : '--strategy blue-green',
    releaseText: canary
      ? 'canary 1% → 5% → 25% → 100% with health gates'
      : 'blue-green with health gates',
    rolloutText: canary ? 'Argo Rollouts canary 1% → 5% → 25% → 100%' : 'rolling update',
    stagingWait: wait('staging'),
    prodWait: wait('prod'),
    gateEnv: service.hasStaging ? 'staging' : 'prod',
    prodGate: deployStaging && deployProd ? [{ gateEnv: 'prod' }] : [],
    gateArgs: [
      ...githubCoverage,
      '--sbom evidence/sbom/sbom.cdx.json',
      '--vulns evidence/scans/image-vulns.json',
      '--config evidence/scans/fs-scan.json',
      '--perf evidence/perf/k6-summary.json',
    ].join(' '),
    gitlabGateArgs: [
      ...gitlabCoverage,
      '--sbom sbom.cdx.json',
      '--vulns evidence/image-vulns.json',
      '--config evidence/fs-scan.json',
      '--perf evidence/k6-summary.json',
    ].join(' '),
    gateNeeds: list(evidence(ci.github, ['build', 'sast-deps', 'sbom', 'perf-smoke'])),
    gitlabGateNeeds: list(
      quoted(slug, evidence(ci.gitlab, ['build', 'deps', 'sbom', 'perf-smoke'])),
    ),
    gitlabEvidenceNeeds: quoted(slug, evidence(ci.gitlab, ['deps', 'sbom', 'perf-smoke'])).join(
      ', ',
    ),
    prodNeeds: list(['build', deployStaging ? 'policy-gate-prod' : 'policy-gate']),
    gitlabProdNeeds: list(
      quoted(slug, ['build', 'verify', deployStaging ? 'policy-gate-prod' : 'policy-gate']),
    ),
  };
}

/** Workflows, pipelines and the gate-input script of a plan; `current` is the repository's .gitlab-ci.yml. */
export function renderCi(
  store: TemplateStore,
  base: TemplateScope,
  services: TemplateScope[],
  plan: PlanCi,
  gate: GateFigures,
  notes: string[],
): RenderedArtifact[] {
  const built = services
    .filter((service) => plan.services.get(String(service.slug))?.toolchain)
    .map((service) =>
      Object.assign(
        {},
        service,
        ciScope(service, plan.services.get(String(service.slug))!, plan, String(base.strategy)),
      ),
    );
  if (built.length === 0) return [];
  const artifacts: RenderedArtifact[] = built.map((service) => ({
    path: `.github/workflows/prodsprint-${String(service.slug)}.yml`,
    content: store.render('ci/github-workflow.yml', service),
  }));
  artifacts.push({
    path: GATE_SCRIPT,
    content: store.render('ci/gate-input.mjs', {
      ...base,
      costMonthly: gate.costMonthly === null ? 'null' : String(gate.costMonthly),
      costCeiling: gate.costCeiling === null ? 'null' : String(gate.costCeiling),
      costCurrency: gate.currency,
    }),
  });
  const rootScope = {
    ...base,
    services: built,
    deployProdsprint: built.some((s) => s.deployProdsprint),
  };
  const repo = plan.repoGitlabCi;
  const child = repo ? withChildPipeline(repo.text, CHILD_ROOT, parseYaml) : null;
  if (repo && child) {
    artifacts.push(
      { path: repo.path, content: child },
      {
        path: CHILD_ROOT,
        content: store.render('ci/gitlab-ci.yml', { ...rootScope, child: true }),
      },
    );
    notes.push(
      `GitLab: ${repo.path} is the repository's; the plan adds one job to it that runs ProdSprint's pipeline (${CHILD_ROOT}) as a child pipeline after its own stages, instead of a second pipeline beside it`,
    );
  } else if (repo) {
    artifacts.push({
      path: CHILD_ROOT,
      content: store.render('ci/gitlab-ci.yml', { ...rootScope, child: true }),
    });
    notes.push(
      `GitLab: ${repo.path} could not take a job safely; add one in stage .post that triggers ${CHILD_ROOT} (trigger: include, strategy: depend)`,
    );
  } else {
    artifacts.push({
      path: '.gitlab-ci.yml',
      content: store.render('ci/gitlab-ci.yml', { ...rootScope, child: false }),
    });
  }
  for (const service of built) {
    artifacts.push({
      path: `.gitlab/ci/${String(service.slug)}.yml`,
      content: store.render('ci/gitlab-service.yml', service),
    });
  }
  return artifacts;
}
