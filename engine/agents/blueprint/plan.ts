/**
 * planBlueprint (issue 7): fingerprint + inputs → every artifact a service needs to reach
 * production, diffed against the repository, with infra, policy, cost and time summaries and
 * the plan hash approval signs. Read-only: it reads the repository only through the injected
 * reader and writes nothing but cdktn's private synthesis directory, which it removes.
 */
import type { Fingerprint } from '../repo-auditor/fingerprint.ts';
import { estimateCost, resolveRegion, CATALOG_PATH, type PriceCatalog } from './cost.ts';
import { planCi } from './ci-plan.ts';
import { orderedEnvironments, parseBlueprintInputs } from './inputs.ts';
import { platformFlags } from './iac/families.ts';
import { stackServices } from './iac/stack-services.ts';
import { synthesizeInfra } from './iac/synth.ts';
import { plannedInfraOf, terraformNotRequested } from './iac/terraform-check.ts';
import type { ProviderSpec } from './iac/typed-resource.ts';
import type { Plan, PlanOptions, PlanSummary, RenderedArtifact } from './plan-model.ts';
import { diffArtifact, infraSummary, planHash } from './preview.ts';
import { baseScope, imageRefs, policyProfile, serviceScope, type Pins } from './render-context.ts';
import { renderCi } from './render-ci.ts';
import { renderContainer } from './render-container.ts';
import { MIGRATION_RUNBOOK, renderChangelog, renderDocs } from './render-docs.ts';
import { isKubernetesTarget, renderKubernetes } from './render-k8s.ts';
import { renderObservability, renderPerf } from './render-observability.ts';
import { renderSmokeTests, smokeTestProposals } from './render-smoke.ts';
import { RepoFiles } from './repo-files.ts';
import { selfCheckPlan } from './self-check/index.ts';
import { metricsNotes, serviceViews, type Questions } from './service-view.ts';
import { loadTemplates } from './template-store.ts';
import { estimateTimeToReady } from './time-to-ready.ts';

/** Builds the plan for `fingerprint` and the user's raw `inputs` (validated here). */
export async function planBlueprint(
  fingerprint: Fingerprint,
  rawInputs: unknown,
  options: PlanOptions,
): Promise<Plan> {
  const inputs = parseBlueprintInputs(rawInputs);
  const store = await loadTemplates(options.templatesDir);
  const catalog = store.data<PriceCatalog>(CATALOG_PATH);
  const region = resolveRegion(catalog, inputs);
  const environments = orderedEnvironments(inputs);
  const notes: string[] = [];
  if (!store.data<Pins>('ci/pins.yaml').verified) {
    notes.push(
      'Pinned action SHAs and image digests (templates/ci/pins.yaml) are unverified placeholders: sync them from your mirror before applying.',
    );
  }
  const questions: Questions = { answers: inputs.answers, asked: [] };
  const views = serviceViews(fingerprint, store, notes, questions);
  const asked = new Set(questions.asked.map((q) => q.id));
  for (const id of Object.keys(inputs.answers)
    .filter((id) => !asked.has(id))
    .sort()) {
    notes.push(`answers: ${id} matches no question of this plan; it was not used`);
  }
  notes.push(
    ...metricsNotes(views, isKubernetesTarget(inputs.target) && inputs.strategy === 'canary'),
  );
  for (const view of views.filter((v) => v.migrations)) {
    notes.push(
      `${view.slug}: ${view.migrations!.tool} migrations (${view.migrations!.path}) are forward-only: ` +
        `ship schema changes expand → migrate → contract (${MIGRATION_RUNBOOK}); a rollback never reverses the schema`,
    );
  }
  if (!isKubernetesTarget(inputs.target)) {
    // Only the Kubernetes manifests carry workers and jobs so far; say what else has to run.
    for (const view of views) {
      for (const process of view.companions) {
        notes.push(
          `${view.slug}: the ${process.role} ${process.name} (\`${process.command.join(' ')}\`, ${process.evidence}) is not part of the ${inputs.target} plan: run it from the same image as its own ${process.role === 'job' ? 'pre-deploy task' : 'service, with no port or HTTP check'}`,
        );
      }
    }
  }
  // CI reads the repository: its versions, scripts, datastores, own pipelines, default branch.
  const pins = store.data<Pins>('ci/pins.yaml');
  const ci = await planCi(
    new RepoFiles(options.readCurrentFile),
    fingerprint,
    views,
    inputs,
    pins.images,
    notes,
  );
  const smokeTests = smokeTestProposals(views);
  for (const smoke of smokeTests) {
    notes.push(`${smoke.slug}: ${smoke.reason} in ${smoke.path}; review them before approving`);
  }

  const base = {
    ...baseScope(inputs, store, region),
    ...platformFlags(inputs.target),
    domainText: inputs.dnsDomain ?? 'none chosen',
    ceilingText:
      inputs.costCeilingMonthly === undefined
        ? 'none set'
        : `${inputs.costCeilingMonthly} ${catalog.currency}`,
    environmentsCsv: environments.join(','),
    defaultEnv: environments[0] ?? 'staging',
  };
  const scopes = views.map((view) =>
    serviceScope(
      base,
      view,
      inputs,
      views.length,
      ci.services.get(view.slug)?.toolchain ?? undefined,
    ),
  );

  const images = imageRefs(store, inputs.mirror.registry);
  const infra = await synthesizeInfra(
    environments.map((env) => ({
      env,
      inputs,
      region,
      name: `${views.length === 1 ? views[0]!.slug : 'platform'}-${env}`,
      services: stackServices(fingerprint, views, scopes, env, inputs.mirror.registry),
      images,
      notes,
    })),
    store.data<Record<string, ProviderSpec>>('iac/providers.json'),
    inputs.mirror.state,
  );
  // The real terraform validates (and for AWS plans) what was synthesized; without it, say so.
  const checked = options.terraform
    ? await options.terraform(infra.stacks, inputs.target)
    : terraformNotRequested(infra.stacks);
  for (const warning of checked.check.warnings) {
    notes.push(`terraform: ${warning.detail}; ${warning.remedy}`);
  }
  const cost = estimateCost(
    store,
    inputs,
    region,
    environments,
    views.length,
    plannedInfraOf(infra.stacks, checked),
  );

  const rendered: RenderedArtifact[] = [
    ...renderCi(
      store,
      base,
      scopes,
      ci,
      { costMonthly: cost.totalMonthly, costCeiling: cost.ceilingMonthly, currency: cost.currency },
      notes,
    ),
    ...renderContainer(store, views, scopes),
    ...renderKubernetes(store, inputs, environments, scopes),
    ...renderPerf(store, scopes),
    ...renderSmokeTests(store, views),
    ...renderObservability(store, base, scopes),
    ...renderDocs(store, base, scopes),
    ...infra.artifacts,
    ...checked.lockFiles,
    { path: 'infra/.terraformrc', content: store.render('iac/terraformrc', base) },
  ];
  // A .dockerignore the team already has is theirs, like their Dockerfile.
  const kept: RenderedArtifact[] = [];
  for (const artifact of rendered) {
    if (
      artifact.path.endsWith('.dockerignore') &&
      (await options.readCurrentFile(artifact.path)) !== null
    ) {
      continue;
    }
    kept.push(artifact);
  }
  kept.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const planned = [];
  for (const artifact of kept) planned.push(await diffArtifact(artifact, options.readCurrentFile));

  const infraDelta = {
    ...infraSummary(infra.resources, options.previous?.resources),
    baseline: options.previous
      ? `the last approved blueprint${options.previous.label ? ` (${options.previous.label})` : ''}`
      : 'nothing: no blueprint of this project is approved yet',
  };
  const changelog = renderChangelog(
    store,
    {
      ...base,
      strategy: inputs.strategy,
      infraAdd: infraDelta.add.length,
      infraChange: infraDelta.change.length,
      infraDestroy: infraDelta.destroy.length,
      costText: `${cost.totalMonthly} ${cost.currency}`,
      catalogVersion: cost.catalogVersion,
      catalogDate: cost.catalogDate,
    },
    planned,
    smokeTests,
  );
  planned.push(await diffArtifact(changelog, options.readCurrentFile));
  planned.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const summary: PlanSummary = {
    target: inputs.target,
    region,
    environments,
    services: views.map((v) => v.slug),
    infra: infraDelta,
    terraform: checked.check,
    cost,
    policy: policyProfile(inputs),
    timeToReady: estimateTimeToReady(inputs, fingerprint, views),
    notes: [...new Set(notes)].sort(),
    questions: questions.asked.sort((a, b) => a.id.localeCompare(b.id)),
  };
  if (options.selfCheck) summary.checks = await selfCheckPlan(planned, checked.check);
  if (!cost.withinCeiling) {
    summary.notes.push(
      `cost: estimate ${cost.totalMonthly} exceeds the ceiling ${cost.ceilingMonthly}`,
    );
  }
  return { inputs, artifacts: planned, summary, planHash: planHash(inputs, planned, summary) };
}
