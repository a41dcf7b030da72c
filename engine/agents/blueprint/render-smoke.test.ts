import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planBlueprint } from './plan.ts';
import { renderSmokeTests } from './render-smoke.ts';
import { SMOKE_FINGERPRINT, smokeViews } from './testing/smoke-fingerprint.ts';

const API_SMOKE = 'services/api/tests/smoke/api.smoke.test.mjs';
const none = async () => null;
const scratch = mkdtempSync(join(tmpdir(), 'prodsprint-smoke-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `node --check`: the file must be a module Node accepts, not text that merely looks like one. */
function nodeCheck(name: string, content: string): { status: number | null; stderr: string } {
  const file = join(scratch, name);
  writeFileSync(file, content);
  const result = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

describe('proposed smoke tests', () => {
  it('proposes one for a service without tests, with its health path and routes', async () => {
    const { store, views } = await smokeViews();
    const artifacts = renderSmokeTests(store, views);
    expect(artifacts.map((a) => a.path)).toEqual([API_SMOKE]);
    const content = artifacts[0]!.content;
    expect(content).toContain(`const HEALTH_PATH = "/health's";`);
    expect(content).toContain('  "/v1/items?limit=1",\n  "/v1/orders",\n');
    expect(content).toContain("process.env.SMOKE_BASE_URL || 'http://127.0.0.1:8000'");
    expect(content).toContain('node --test tests/smoke/api.smoke.test.mjs');
    expect(content).not.toMatch(/\[\[/);
  });

  it('proposes none for a service that has tests', async () => {
    const { store, views } = await smokeViews();
    const withTests = views.filter((view) => view.hasTests);
    expect(withTests.map((view) => view.slug)).toEqual(['worker']);
    expect(renderSmokeTests(store, withTests)).toEqual([]);
  });

  it('renders a file node --check accepts, with and without routes beyond health', async () => {
    const { store, views } = await smokeViews();
    const api = views.find((view) => view.slug === 'api')!;
    const [withRoutes] = renderSmokeTests(store, [api]);
    const [healthOnly] = renderSmokeTests(store, [{ ...api, routes: [api.healthPath] }]);
    expect(healthOnly!.content).toContain('const ROUTES = [];\n');
    for (const [name, artifact] of [
      ['routes.smoke.test.mjs', withRoutes!],
      ['health.smoke.test.mjs', healthOnly!],
    ] as const)
      expect(nodeCheck(name, artifact.content)).toEqual({ status: 0, stderr: '' });
    // The check really parses: a broken module fails it.
    expect(nodeCheck('broken.mjs', 'import { test } from;\n').status).not.toBe(0);
  });

  it('renders the same bytes twice', async () => {
    const { store, views } = await smokeViews();
    expect(renderSmokeTests(store, structuredClone(views))).toEqual(renderSmokeTests(store, views));
  });

  it('is in the plan only for the service without tests, marked as a proposal', async () => {
    const plan = await planBlueprint(
      SMOKE_FINGERPRINT,
      { target: 'docker' },
      { readCurrentFile: none },
    );
    const smoke = plan.artifacts.filter((a) => a.path.includes('/tests/smoke/'));
    expect(smoke.map((a) => [a.path, a.change])).toEqual([[API_SMOKE, 'new']]);
    expect(smoke[0]!.content).toContain(`const HEALTH_PATH = "/health's";`);
    const reason = 'proposed smoke tests (the repository has no tests for api)';
    expect(plan.summary.notes).toContain(
      `api: ${reason} in ${API_SMOKE}; review them before approving`,
    );
    expect(plan.summary.notes.join('\n')).not.toContain('no tests for worker');
    const doc = (path: string) => plan.artifacts.find((a) => a.path === path)!.content;
    expect(doc('docs/changelog.md')).toContain(`- new: \`${API_SMOKE}\` — ${reason}\n`);
    expect(doc('docs/readiness-checklist.md')).toContain(
      `**no tests found**, smoke tests proposed in \`${API_SMOKE}\``,
    );
  });
});
