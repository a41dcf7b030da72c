import { describe, expect, it } from 'vitest';
import { BlueprintInputs } from '../../contract/blueprints.contract.ts';
import { Fingerprint } from '../repo-auditor/fingerprint.ts';
import { planBlueprint } from './plan.ts';

// Issue 15, "ask instead of guessing": what the auditor could not infer with confidence is a
// question with candidates and evidence; the plan renders with the first candidate, and an
// answer in the inputs replaces it.
const at = (file: string, line = 1) => [{ file, line }];
const api = {
  name: 'api',
  path: '.',
  language: { value: 'go', evidence: at('go.mod') },
  framework: null,
  packageManager: null,
  lockfile: null,
  port: null,
  dockerfile: null,
  startCommand: { value: 'go run .', evidence: at('go.mod') },
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
  services: [api],
  composeFiles: [],
  k8sManifests: [],
  helmCharts: [],
  ciConfigs: [],
  monorepoTool: null,
  gaps: [],
  stats: { files: 1, filesRead: 1, skipped: [] },
  processes: [
    {
      name: 'sync',
      service: 'api',
      role: 'worker',
      command: 'go run ./cmd/sync',
      image: null,
      port: null,
      evidence: at('Procfile', 2),
      confidence: 'low',
      reason: 'its name and command do not say what it consumes',
    },
  ],
});
const none = async () => null;
const plan = (answers: Record<string, string> = {}) =>
  planBlueprint(fingerprint, BlueprintInputs.parse({ target: 'kubernetes', answers }), {
    readCurrentFile: none,
  });
const file = (p: Awaited<ReturnType<typeof plan>>, path: string) =>
  p.artifacts.find((a) => a.path === path)?.content;

describe('plan questions', () => {
  it('given no port and an unsure worker, when planned, then both are open questions with candidates and evidence', async () => {
    const p = await plan();
    expect(p.summary.questions).toEqual([
      {
        id: 'api.port',
        service: 'api',
        question: expect.stringMatching(/^Which port does api listen on\?/),
        candidates: [{ value: '8080', evidence: 'the default of go services' }],
        answer: null,
      },
      {
        id: 'api.sync.role',
        service: 'api',
        question: expect.stringContaining('`go run ./cmd/sync`'),
        candidates: [
          { value: 'worker', evidence: 'Procfile:2' },
          { value: 'none', evidence: expect.any(String) },
        ],
        answer: null,
      },
    ]);
    // Rendered with the first candidate; the unsure worker is not deployed until answered.
    expect(file(p, 'deploy/k8s/staging/api/rollout.yaml')).toContain('containerPort: 8080');
    expect(file(p, 'deploy/k8s/staging/api/api-sync-deployment.yaml')).toBeUndefined();
  });

  it('given answers, when planned, then the port and the worker follow them and the questions say answered', async () => {
    const p = await plan({ 'api.port': '9090', 'api.sync.role': 'worker' });
    expect(p.summary.questions.map((q) => [q.id, q.answer])).toEqual([
      ['api.port', '9090'],
      ['api.sync.role', 'worker'],
    ]);
    expect(file(p, 'deploy/k8s/staging/api/rollout.yaml')).toContain('containerPort: 9090');
    expect(file(p, 'deploy/k8s/staging/api/api-sync-deployment.yaml')).toContain(
      'command: ["go","run","./cmd/sync"]',
    );
    const unanswered = await plan();
    expect(p.planHash).not.toBe(unanswered.planHash);
  });

  it('given an answer that is not a port, a role it cannot be, or an id no question has, then the question stays open and the stray answer is noted', async () => {
    const p = await plan({ 'api.port': 'eighty', 'api.sync.role': 'daemon', 'web.port': '80' });
    expect(p.summary.questions.every((q) => q.answer === null)).toBe(true);
    expect(p.summary.notes).toContain(
      'answers: web.port matches no question of this plan; it was not used',
    );
  });

  it('given "none" for the unsure worker, then it stays out of the plan, answered', async () => {
    const p = await plan({ 'api.port': '8080', 'api.sync.role': 'none' });
    expect(p.summary.questions.every((q) => q.answer !== null)).toBe(true);
    expect(p.artifacts.some((a) => a.path.includes('api-sync'))).toBe(false);
  });
});
