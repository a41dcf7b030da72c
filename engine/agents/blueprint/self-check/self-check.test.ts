import { describe, expect, it } from 'vitest';
import type { TerraformCheck } from '../plan-model.ts';
import { failedChecks, selfCheckPlan } from './index.ts';

const workflow = `name: ci
on:
  push:
    branches: [main]
jobs:
  test:
    runs-on: [self-hosted, linux, air-gapped]
    steps:
      - run: echo ok
`;
const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: registry.internal/web:1
`;
const terraformRan: TerraformCheck = {
  status: 'passed',
  providers: [],
  stacks: [{ environment: 'staging', validate: 'passed', plan: 'not-run', diagnostics: [] }],
  warnings: [],
};
const terraformAbsent: TerraformCheck = {
  status: 'not-run',
  providers: [],
  stacks: [{ environment: 'staging', validate: 'not-run', plan: 'not-run', diagnostics: [] }],
  warnings: [{ id: 'terraform', detail: 'terraform is not installed', remedy: 'install it' }],
};

describe('selfCheckPlan', () => {
  it('given valid artifacts, then every check passes and says how much it looked at', async () => {
    const checks = await selfCheckPlan(
      [
        { path: '.github/workflows/ci.yml', content: workflow },
        { path: 'deploy/k8s/staging/web/deployment.yaml', content: deployment },
        { path: 'README.md', content: '# not checked' },
      ],
      terraformRan,
    );
    expect(checks).toEqual([
      { check: 'github-workflow-parser', status: 'passed', checked: 1, findings: [] },
      { check: 'actionlint', status: 'passed', checked: 1, findings: [] },
      { check: 'kubernetes-schema', status: 'passed', checked: 1, findings: [] },
      { check: 'terraform', status: 'passed', checked: 1, findings: [] },
    ]);
    expect(failedChecks(checks)).toEqual([]);
  });

  it('given a broken workflow and a manifest its schema refuses, then those checks fail with the path and finding', async () => {
    const checks = await selfCheckPlan(
      [
        {
          path: '.github/workflows/ci.yml',
          content: workflow.replace('echo ok', 'echo ${{ github.nope( }}'),
        },
        {
          path: 'deploy/k8s/staging/web/deployment.yaml',
          content: deployment
            .replace('replicas', 'x')
            .replace('name: web\n          image', 'image'),
        },
      ],
      terraformAbsent,
    );
    const byName = Object.fromEntries(checks.map((check) => [check.check, check]));
    expect(byName['github-workflow-parser']!.status).toBe('failed');
    expect(byName['actionlint']!.findings.join('\n')).toMatch(
      /^\.github\/workflows\/ci\.yml:\d+: /,
    );
    expect(byName['kubernetes-schema']).toMatchObject({ status: 'failed', checked: 1 });
    expect(byName['kubernetes-schema']!.findings[0]).toMatch(
      /^deploy\/k8s\/staging\/web\/deployment\.yaml: Deployment web: /,
    );
    // Terraform that could not run is not a pass, and not a failure either.
    expect(byName['terraform']).toMatchObject({
      status: 'not-run',
      detail: 'terraform is not installed',
    });
    expect(failedChecks(checks).length).toBeGreaterThanOrEqual(3);
  });
});

describe('Argo Rollouts objects', () => {
  it('are validated against the Rollout and AnalysisTemplate CRD schemas (the check is real)', async () => {
    const { validateK8sObject } = await import('./k8s-schema.ts');
    const rollout = (steps: unknown[]) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'registry.internal/web:1' }] },
        },
        strategy: { canary: { steps } },
      },
    });
    expect(() => validateK8sObject(rollout([{ setWeight: 5 }, { pause: {} }]))).not.toThrow();
    expect(() => validateK8sObject(rollout([{ setWeight: 'five' }]))).toThrow();
    const template = (metrics: unknown) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'web-health' },
      spec: { metrics },
    });
    expect(() =>
      validateK8sObject(
        template([{ name: 'ok', provider: { prometheus: { address: 'http://p', query: 'up' } } }]),
      ),
    ).not.toThrow();
    expect(() => validateK8sObject(template('success-rate'))).toThrow();
  });
});
