/**
 * docs/ (issue 7): runbooks, the readiness checklist and the change log. The change log lists
 * every other artifact with its change kind, so it is rendered last, from the diffed artifacts.
 */
import type { ArtifactChange, RenderedArtifact } from './plan-model.ts';
import { renderTemplate, type TemplateScope } from './template-engine.ts';
import type { TemplateStore } from './template-store.ts';

export const CHANGELOG_PATH = 'docs/changelog.md';
export const MIGRATION_RUNBOOK = 'docs/runbooks/schema-migration-expand-contract.md';

interface MigrationTool {
  apply: string;
  status: string;
  create: string;
  down: string;
}

/** What the expand/contract runbook needs of each service that has schema migrations. */
export function migrationScopes(store: TemplateStore, services: TemplateScope[]): TemplateScope[] {
  const tools = store.data<Record<string, MigrationTool>>('docs/migration-tools.yaml');
  return services
    .filter((s) => s.hasMigrations)
    .map((s) => {
      const tool = String(s.migrationTool);
      const dir = String(s.migrationDir);
      const commands = tools[tool] ?? tools.other!;
      const fill = (command: string) => renderTemplate(command, { dir });
      return {
        slug: s.slug,
        tool,
        dir,
        apply: fill(commands.apply),
        status: fill(commands.status),
        create: fill(commands.create),
        down: fill(commands.down),
      };
    });
}

const RUNBOOKS = ['dns-tls', 'perf-budget-unmet', 'rollback', 'security-gate-failed'];

/** The four runbooks, the expand/contract runbook when there are migrations, the checklist. */
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
  const migrationServices = migrationScopes(store, services);
  const docScope = { ...scope, hasMigrations: migrationServices.length > 0 };
  // Forward-only schema migrations ship expand → migrate → contract (issue 9); the runbook is
  // planned only when the auditor found migrations, so the rollback runbook can point to it.
  const migrationRunbook: RenderedArtifact[] =
    migrationServices.length === 0
      ? []
      : [
          {
            path: MIGRATION_RUNBOOK,
            content: store.render(MIGRATION_RUNBOOK, {
              ...scope,
              migrationServices,
              migrationServicesCsv: migrationServices.map((s) => String(s.slug)).join(', '),
              approvalsText: base.hasApprovals
                ? String(base.approvalsCsv)
                : 'the release approvers',
            }),
          },
        ];
  return [
    ...RUNBOOKS.map((name) => ({
      path: `docs/runbooks/${name}.md`,
      content: store.render(`docs/runbooks/${name}.md`, docScope),
    })),
    ...migrationRunbook,
    {
      path: 'docs/readiness-checklist.md',
      content: store.render('docs/readiness-checklist.md', docScope),
    },
  ];
}

/**
 * The change log listing every new or changed artifact of the plan; a file the plan proposes
 * rather than derives (smoke tests) carries its reason, so a reviewer sees why it is there.
 */
export function renderChangelog(
  store: TemplateStore,
  scope: TemplateScope,
  changes: Array<{ path: string; change: ArtifactChange }>,
  proposals: Array<{ path: string; reason: string }> = [],
): RenderedArtifact {
  const reasons = new Map(proposals.map((p) => [p.path, p.reason]));
  return {
    path: CHANGELOG_PATH,
    content: store.render('docs/changelog.md', {
      ...scope,
      changes: changes
        .filter((c) => c.change !== 'unchanged')
        .map((c) => ({ path: c.path, change: c.change, reason: reasons.get(c.path) ?? '' })),
    }),
  };
}
