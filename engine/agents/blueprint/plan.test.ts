import { describe, expect, it } from 'vitest';
import { DeployTarget } from '../../contract/blueprints.contract.ts';
import { Fingerprint } from '../repo-auditor/fingerprint.ts';
import { planBlueprint } from './plan.ts';

const service = {
  name: 'api',
  path: '.',
  language: { value: 'go', evidence: [{ file: 'go.mod', line: 1 }] },
  framework: null,
  packageManager: null,
  lockfile: null,
  port: null,
  dockerfile: null,
  startCommand: null,
  healthEndpoint: null,
  envVars: [],
  orm: null,
  migrations: null,
  queues: [],
  tests: null,
  coverageConfig: null,
};

const fingerprint = Fingerprint.parse({
  version: 1,
  services: [service],
  composeFiles: [],
  k8sManifests: [],
  helmCharts: [],
  ciConfigs: [],
  monorepoTool: null,
  gaps: [],
  stats: { files: 1, filesRead: 1, skipped: [] },
});
const none = async () => null;

describe('planBlueprint', () => {
  it.each(DeployTarget.options)(
    'plans the %s target with IaC for each environment',
    async (target) => {
      const plan = await planBlueprint(
        fingerprint,
        {
          target,
          dnsDomain: 'api.example.com',
          db: { engine: 'postgres', version: '16' },
          cache: { engine: 'redis' },
          cdnWaf: true,
        },
        { readCurrentFile: none },
      );
      const paths = plan.artifacts.map((a) => a.path);
      expect(paths).toEqual(
        expect.arrayContaining([
          'infra/staging/cdk.tf.json',
          'infra/prod/cdk.tf.json',
          'Dockerfile',
        ]),
      );
      expect(plan.summary.infra.add.length).toBeGreaterThan(0);
      expect(plan.summary.cost.totalMonthly).toBeGreaterThanOrEqual(0);
      expect(plan.planHash).toMatch(/^[0-9a-f]{64}$/);
    },
  );

  it('asks for the port and says what it assumed when the audit found no port or health endpoint', async () => {
    const plan = await planBlueprint(fingerprint, { target: 'docker' }, { readCurrentFile: none });
    expect(plan.summary.questions).toMatchObject([
      { id: 'api.port', answer: null, candidates: [{ value: '8080' }] },
    ]);
    expect(plan.summary.notes).toContain(
      'api: no health endpoint found, probes use /healthz; add one',
    );
  });

  it('diffs against the repository and keeps a .dockerignore the team already has', async () => {
    const first = await planBlueprint(fingerprint, { target: 'docker' }, { readCurrentFile: none });
    const workflow = first.artifacts.find(
      (a) => a.path === '.github/workflows/prodsprint-api.yml',
    )!;
    const files: Record<string, string> = {
      '.dockerignore': 'node_modules\n',
      '.github/workflows/prodsprint-api.yml': workflow.content,
      'perf/k6/api.js': 'old\n',
    };
    const plan = await planBlueprint(
      fingerprint,
      { target: 'docker' },
      { readCurrentFile: async (p) => files[p] ?? null },
    );
    const byPath = new Map(plan.artifacts.map((a) => [a.path, a]));
    expect(byPath.has('.dockerignore')).toBe(false);
    expect(byPath.get('.github/workflows/prodsprint-api.yml')?.change).toBe('unchanged');
    expect(byPath.get('perf/k6/api.js')?.change).toBe('changed');
    expect(byPath.get('perf/k6/api.js')?.diff).toContain('-old');
    expect(byPath.get('Dockerfile')?.change).toBe('new');
    expect(byPath.get('docs/changelog.md')?.content).toContain('- changed: `perf/k6/api.js`');
    expect(byPath.get('docs/changelog.md')?.content).not.toContain(
      '.github/workflows/prodsprint-api.yml',
    );
  });
});

describe('secrets choice', () => {
  it.each(['ecs', 'cloudrun', 'vercel'])('%s keeps secrets in Vault when asked', async (target) => {
    const plan = await planBlueprint(
      fingerprint,
      { target, secrets: 'vault' },
      { readCurrentFile: none },
    );
    const prod = JSON.parse(
      plan.artifacts.find((a) => a.path === 'infra/prod/cdk.tf.json')!.content,
    ) as {
      resource: Record<string, unknown>;
      terraform: { required_providers: Record<string, unknown> };
    };
    expect(Object.keys(prod.resource)).toEqual(
      expect.arrayContaining(['vault_mount', 'vault_policy']),
    );
    expect(Object.keys(prod.resource).some((t) => /secretsmanager|secret_manager/.test(t))).toBe(
      false,
    );
    expect(prod.terraform.required_providers).toHaveProperty('vault');
    expect(plan.summary.cost.lines.some((l) => l.item === 'secret')).toBe(false);
  });
});
