/**
 * Generated GitHub workflows pass GitHub's own parser (@actions/workflow-parser) and keep the
 * promises issue 7 makes: the stage order, actions pinned by full SHA, images by digest, a policy
 * gate, and production behind an environment.
 */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { artifactsMatching } from './cases.ts';
import { workflowErrors } from './workflow-parser.ts';

const workflows = await artifactsMatching(/^\.github\/workflows\/.+\.yml$/);

interface Job {
  needs?: string | string[];
  environment?: string;
  steps: Array<{ uses?: string; run?: string; name?: string }>;
  container?: { image: string };
}

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
  'canary-prod',
];

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
      expect(names.slice(0, 7)).toEqual(ORDER.slice(0, 7));
      // Each job after build depends, directly or not, on the one before it in the order.
      const needs = (job: string): string[] => [jobs[job]!.needs ?? []].flat();
      const reaches = (from: string, to: string): boolean =>
        needs(from).some((n) => n === to || reaches(n, to));
      for (let i = 1; i < names.length; i++)
        expect(reaches(names[i]!, names[i - 1]!), names[i]).toBe(true);
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
    '%s gates, signs, verifies and protects prod',
    (_label, w) => {
      const jobs = (parse(w.content) as { jobs: Record<string, Job> }).jobs;
      const runs = (job: string) => (jobs[job]?.steps ?? []).map((s) => s.run ?? '').join('\n');
      expect(runs('policy-gate')).toContain('prodsprint policy eval');
      // Docker cases take the default coverage gate; the others set 75 (cases.ts).
      const coverage = w.name.endsWith('-docker') ? 80 : 75;
      expect(jobs.unit!.steps.map((s) => s.name)).toContain(`Coverage threshold (${coverage}%)`);
      expect(runs('sast-deps')).toContain('--severity HIGH,CRITICAL --exit-code 1');
      expect(runs('sbom')).toMatch(/cosign:[^']*' sign /);
      expect(runs('sbom')).toContain('sbom.cdx.json');
      if (jobs['canary-prod']) {
        expect(jobs['canary-prod'].environment).toBe('production');
        expect(runs('canary-prod')).toContain('verify');
        // Canary steps only where the strategy is canary (go-gin-kubernetes rolls).
        if (runs('canary-prod').includes('--strategy rolling'))
          expect(runs('canary-prod')).not.toContain('--steps');
        else expect(runs('canary-prod')).toContain('--strategy canary --steps 1,5,25,100');
      }
      if (jobs['deploy-staging']) expect(jobs['deploy-staging'].environment).toBe('staging');
    },
  );
});
