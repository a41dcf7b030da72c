/**
 * Generated GitHub workflows pass GitHub's own parser (@actions/workflow-parser) and keep the
 * promises issues 7 and 15 make: the stage order, actions pinned by full SHA, images by digest, a
 * policy gate and releases with commands the CLI has, and production behind an environment.
 */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { artifactsMatching } from './cases.ts';
import { workflowErrors } from '../../engine/agents/blueprint/self-check/workflow-parser.ts';

const workflows = await artifactsMatching(/^\.github\/workflows\/.+\.yml$/);

interface Job {
  needs?: string | string[];
  environment?: string;
  steps: Array<{ uses?: string; run?: string; name?: string }>;
  container?: { image: string };
}

/** The order jobs run in; each present job depends, directly or not, on the one before it. */
const ORDER = [
  'build',
  'unit',
  'integration',
  'sast-deps',
  'sbom',
  'perf-smoke',
  'policy-gate',
  'deploy-staging',
  'smoke',
  'policy-gate-prod',
  'deploy-prod',
];
/** Jobs every workflow has; tests and deploys depend on the repository and the target. */
const ALWAYS = ['build', 'sast-deps', 'sbom', 'perf-smoke', 'policy-gate'];

describe('GitHub Actions workflows', () => {
  it('reports errors for a broken workflow (the parser is really checking)', () => {
    expect(
      workflowErrors('bad.yml', 'on: push\njobs:\n  a:\n    runs-on: x\n    steps: 3\n').length,
    ).toBeGreaterThan(0);
  });

  it('exist for every case', () => {
    expect(new Set(workflows.map((w) => w.name)).size).toBe(11);
  });

  it.each(workflows.map((w) => [`${w.name}: ${w.path}`, w] as const))(
    '%s parses without errors',
    (_label, w) => {
      expect(workflowErrors(w.path, w.content)).toEqual([]);
    },
  );

  it.each(workflows.map((w) => [`${w.name}: ${w.path}`, w] as const))(
    '%s runs the stages in order',
    (_label, w) => {
      const jobs = (parse(w.content) as { jobs: Record<string, Job> }).jobs;
      const names = ORDER.filter((n) => n in jobs);
      expect(Object.keys(jobs).sort()).toEqual([...names].sort());
      for (const job of ALWAYS) expect(names).toContain(job);
      const needs = (job: string): string[] => [jobs[job]!.needs ?? []].flat();
      const reaches = (from: string, to: string): boolean =>
        needs(from).some((n) => n === to || reaches(n, to));
      // Tests run beside the image build; everything from the scans on follows the build.
      const chain = names.filter((n) => n !== 'unit' && n !== 'integration');
      for (let i = 1; i < chain.length; i++)
        expect(reaches(chain[i]!, chain[i - 1]!), chain[i]).toBe(true);
      if (jobs.unit) expect(reaches('policy-gate', 'unit')).toBe(true);
      if (jobs.integration) expect(reaches('integration', 'unit')).toBe(true);
    },
  );

  it.each(workflows.map((w) => [`${w.name}: ${w.path}`, w] as const))(
    '%s pins actions by SHA and images by digest',
    (_label, w) => {
      const jobs = (parse(w.content) as { jobs: Record<string, Job> }).jobs;
      for (const job of Object.values(jobs)) {
        for (const step of job.steps)
          if (step.uses) expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
        if (job.container) expect(job.container.image).toMatch(/@sha256:[0-9a-f]{64}$/);
      }
      // Every image a job runs; the Trivy database repositories are data that must move, not images.
      const images = [...w.content.matchAll(/'(registry\.internal\/[^']+:[^']+)'/g)]
        .map((m) => m[1]!)
        .filter((ref) => !/trivy-(java-)?db:/.test(ref));
      expect(images.length).toBeGreaterThan(0);
      for (const ref of images) expect(ref).toMatch(/@sha256:[0-9a-f]{64}$/);
    },
  );

  it.each(workflows.map((w) => [`${w.name}: ${w.path}`, w] as const))(
    '%s gates, signs, verifies and protects prod with commands the CLI has',
    (_label, w) => {
      const doc = parse(w.content) as {
        on: { push: { branches: string[] } };
        jobs: Record<string, Job>;
      };
      const jobs = doc.jobs;
      const runs = (job: string) => (jobs[job]?.steps ?? []).map((s) => s.run ?? '').join('\n');
      // No repository behind the hand-made cases: the default branch falls back to main.
      expect(doc.on.push.branches).toEqual(['main']);
      expect(runs('policy-gate')).toContain('node .prodsprint/gate-input.mjs --environment');
      expect(runs('policy-gate')).toMatch(/prodsprint policy eval '\w+' --input gate-input\.json/);
      expect(runs('sast-deps')).toContain('--severity HIGH,CRITICAL --exit-code 1');
      expect(runs('sbom')).toMatch(/cosign:[^']*' sign /);
      expect(runs('sbom')).toContain('sbom.cdx.json');
      if (jobs['deploy-prod']) {
        expect(jobs['deploy-prod'].environment).toBe('production');
        expect(runs('deploy-prod')).toContain('verify');
        if (w.name.endsWith('-docker'))
          expect(runs('deploy-prod')).toMatch(
            /prodsprint release create "\$PRODSPRINT_PROJECT" '\$\{\{ github\.sha \}\}' --env prod/,
          );
        else expect(runs('deploy-prod')).toContain("apply -f 'deploy/k8s/prod/");
      }
      if (jobs['deploy-staging']) expect(jobs['deploy-staging'].environment).toBe('staging');
      // Targets the CLI cannot release to get no deploy job (the plan notes say so).
      if (/-(ecs|cloudrun)$/.test(w.name)) expect(jobs['deploy-prod']).toBeUndefined();
    },
  );
});
