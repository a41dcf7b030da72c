/**
 * A two-service fingerprint for the smoke-test suites: `api` has no tests, `worker` has pytest
 * tests. The health path has a quote in it so the suites see paths reach the JS escaped.
 */
import { Fingerprint, type Service } from '../../repo-auditor/fingerprint.ts';
import { serviceViews, type ServiceView } from '../service-view.ts';
import { loadTemplates, type TemplateStore } from '../template-store.ts';

const at = [{ file: 'pyproject.toml', line: 1 }];

function service(name: string, path: string, tests: Service['tests']): Service {
  return {
    name,
    path,
    language: { value: 'python', evidence: at },
    framework: { value: 'fastapi', evidence: at },
    packageManager: null,
    lockfile: null,
    port: { value: 8000, evidence: at },
    dockerfile: null,
    startCommand: null,
    healthEndpoint: { value: "/health's", evidence: at },
    envVars: [],
    orm: null,
    migrations: null,
    queues: [],
    tests,
    coverageConfig: null,
  };
}

export const SMOKE_FINGERPRINT = Fingerprint.parse({
  version: 1,
  services: [
    service('api', 'services/api', null),
    service('worker', 'services/worker', {
      value: { framework: 'pytest', path: 'services/worker/tests' },
      evidence: at,
    }),
  ],
  composeFiles: [],
  k8sManifests: [],
  helmCharts: [],
  ciConfigs: [],
  monorepoTool: null,
  gaps: [],
  stats: { files: 2, filesRead: 2, skipped: [] },
});

/** The views of SMOKE_FINGERPRINT, `api` with routes beyond its health endpoint. */
export async function smokeViews(): Promise<{ store: TemplateStore; views: ServiceView[] }> {
  const store = await loadTemplates();
  const views = serviceViews(SMOKE_FINGERPRINT, store, []).map((view) =>
    view.slug === 'api'
      ? { ...view, routes: [view.healthPath, '/v1/orders', '/v1/items?limit=1'] }
      : view,
  );
  return { store, views };
}
