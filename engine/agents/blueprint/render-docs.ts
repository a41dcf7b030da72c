/**
 * docs/ (issue 7): runbooks, the readiness checklist and the change log. The change log lists
 * every other artifact with its change kind, so it is rendered last, from the diffed artifacts.
 */
import type { ArtifactChange, RenderedArtifact } from './plan-model.ts';
import type { TemplateScope } from './template-engine.ts';
import type { TemplateStore } from './template-store.ts';

export const CHANGELOG_PATH = 'docs/changelog.md';

const RUNBOOKS = ['dns-tls', 'perf-budget-unmet', 'rollback', 'security-gate-failed'];

/** The four runbooks and the readiness checklist. */
export function renderDocs(
  store: TemplateStore,
  base: TemplateScope,
  services: TemplateScope[],
): RenderedArtifact[] {
  const firstHost = services[0]?.host ?? 'app.internal';
  const scope: TemplateScope = {
    ...base,
    services,
    servicesCsv: services.map((s) => String(s.slug)).join(', ') || 'no services',
    exampleHost: firstHost,
  };
  return [
    ...RUNBOOKS.map((name) => ({
      path: `docs/runbooks/${name}.md`,
      content: store.render(`docs/runbooks/${name}.md`, scope),
    })),
    {
      path: 'docs/readiness-checklist.md',
      content: store.render('docs/readiness-checklist.md', scope),
    },
  ];
}

/** The change log listing every new or changed artifact of the plan. */
export function renderChangelog(
  store: TemplateStore,
  scope: TemplateScope,
  changes: Array<{ path: string; change: ArtifactChange }>,
): RenderedArtifact {
  return {
    path: CHANGELOG_PATH,
    content: store.render('docs/changelog.md', {
      ...scope,
      changes: changes.filter((c) => c.change !== 'unchanged').map((c) => ({ ...c })),
    }),
  };
}
