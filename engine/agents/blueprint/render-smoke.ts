/**
 * Smoke tests for services the audit found no tests for: the test stage cannot run what does not
 * exist, so the plan proposes a dependency-free Node test per such service (its health endpoint
 * and detected routes) for the team to review. Services with tests of their own get none: the
 * plan never adds tests behind the team's back.
 */
import type { RenderedArtifact } from './plan-model.ts';
import type { ServiceView } from './service-view.ts';
import type { TemplateScope } from './template-engine.ts';
import type { TemplateStore } from './template-store.ts';

/** Relative to the service's directory, where the team's own tests would live. */
export function smokeTestFile(slug: string): string {
  return `tests/smoke/${slug}.smoke.test.mjs`;
}

/** Repository-relative path of the smoke test proposed for `view`. */
export function smokeTestPath(view: Pick<ServiceView, 'dir' | 'slug'>): string {
  return `${view.dir}${smokeTestFile(view.slug)}`;
}

/**
 * Why the file is in the plan, worded the same wherever the plan explains it. The slug, not the
 * name: it is what the plan calls the service elsewhere, and it is safe inside Markdown and JS.
 */
export function smokeTestReason(view: Pick<ServiceView, 'slug'>): string {
  return `proposed smoke tests (the repository has no tests for ${view.slug})`;
}

export interface SmokeTestProposal {
  slug: string;
  path: string;
  reason: string;
}

/** The smoke tests the plan proposes, so notes, change log and checklist say why they are there. */
export function smokeTestProposals(views: ServiceView[]): SmokeTestProposal[] {
  return views
    .filter((view) => !view.hasTests)
    .map((view) => ({ slug: view.slug, path: smokeTestPath(view), reason: smokeTestReason(view) }));
}

/**
 * One smoke test file per service without tests. Paths come from the repository, so they are
 * written as JSON string literals: a quote or backslash in a route cannot break out of the JS.
 */
export function renderSmokeTests(store: TemplateStore, views: ServiceView[]): RenderedArtifact[] {
  return views
    .filter((view) => !view.hasTests)
    .map((view) => {
      const routes = [...new Set(view.routes)].filter((r) => r !== view.healthPath).sort();
      const scope: TemplateScope = {
        slug: view.slug,
        port: view.port,
        smokeTestFile: smokeTestFile(view.slug),
        healthPathLiteral: JSON.stringify(view.healthPath),
        smokeRoutes: routes.map((route) => JSON.stringify(route)),
      };
      return { path: smokeTestPath(view), content: store.render('tests/smoke.test.mjs', scope) };
    });
}
