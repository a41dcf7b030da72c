/**
 * planBlueprint (issue 7): fingerprint + inputs → every artifact a service needs to reach
 * production, diffed against the repository, with infra, policy, cost and time summaries and
 * the plan hash approval signs. Read-only: it reads the repository only through the injected
 * reader and writes nothing but cdktn's private synthesis directory, which it removes.
 */
import type { Fingerprint } from '../repo-auditor/fingerprint.ts';
import { estimateCost, resolveRegion, CATALOG_PATH, type PriceCatalog } from './cost.ts';
import { orderedEnvironments, parseBlueprintInputs } from './inputs.ts';
import { synthesizeInfra } from './iac/synth.ts';
import type { ProviderSpec } from './iac/typed-resource.ts';
import type { Plan, PlanOptions, PlanSummary, RenderedArtifact } from './plan-model.ts';
import { diffArtifact, infraSummary, planHash } from './preview.ts';
import { baseScope, imageRefs, policyProfile, serviceScope, type Pins } from './render-context.ts';
import { renderCi } from './render-ci.ts';
import { renderContainer } from './render-container.ts';
import { MIGRATION_RUNBOOK, renderChangelog, renderDocs } from './render-docs.ts';
import { renderKubernetes } from './render-k8s.ts';
import { renderObservability, renderPerf } from './render-observability.ts';
import { renderSmokeTests, smokeTestProposals } from './render-smoke.ts';
import { serviceViews } from './service-view.ts';
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
  const views = serviceViews(fingerprint, store, notes);
  for (const view of views.filter((v) => v.migrations)) {
    notes.push(
      `${view.slug}: ${view.migrations!.tool} migrations (${view.migrations!.path}) are forward-only: ` +
        `ship schema changes expand → migrate → contract (${MIGRATION_RUNBOOK}); a rollback never reverses the schema`,
    );
  }
  const smokeTests = smokeTestProposals(views);
  for (const smoke of smokeTests) {
    notes.push(`${smoke.slug}: ${smoke.reason} in ${smoke.path}; review them before approving`);
  }
  const cost = estimateCost(store, inputs, region, environments, views.length);

  const base = {
    ...baseScope(inputs, store, region),
    domainText: inputs.dnsDomain ?? 'none chosen',
    ceilingText:
      cost.ceilingMonthly === null ? 'none set' : `${cost.ceilingMonthly} ${cost.currency}`,
    environmentsCsv: environments.join(','),
    defaultEnv: environments[0] ?? 'staging',
  };
  const scopes = views.map((view) => serviceScope(base, view, inputs, views.length));

  const images = imageRefs(store, inputs.mirror.registry);
  const infra = await synthesizeInfra(
    environments.map((env) => ({
      env,
      inputs,
      region,
      name: `${views.length === 1 ? views[0]!.slug : 'platform'}-${env}`,
      services: scopes.map((s) => ({
        slug: String(s.slug),
        port: Number(s.port),
        healthPath: String(s.healthPath),
        image: `${inputs.mirror.registry}/${String(s.slug)}`,
        host: String(env === 'staging' ? s.stagingHost : s.host),
      })),
      images,
      notes,
    })),
    store.data<Record<string, ProviderSpec>>('iac/providers.json'),
    inputs.mirror.state,
  );

  const rendered: RenderedArtifact[] = [
    ...renderCi(store, base, scopes),
    ...renderContainer(store, views, scopes),
    ...renderKubernetes(store, inputs, environments, scopes),
    ...renderPerf(store, scopes),
    ...renderSmokeTests(store, views),
    ...renderObservability(store, base, scopes),
    ...renderDocs(store, base, scopes),
    ...infra.artifacts,
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

  const infraDelta = infraSummary(infra.resources, options.previous?.resources);
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
    cost,
    policy: policyProfile(inputs),
    timeToReady: estimateTimeToReady(inputs, fingerprint, views),
    notes: [...new Set(notes)].sort(),
  };
  if (!cost.withinCeiling) {
    summary.notes.push(
      `cost: estimate ${cost.totalMonthly} exceeds the ceiling ${cost.ceilingMonthly}`,
    );
  }
  return { inputs, artifacts: planned, summary, planHash: planHash(inputs, planned, summary) };
}
