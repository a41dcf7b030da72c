/**
 * The plans of the audited cases (every stack fixture × kubernetes, docker and a cloud target)
 * hold to what the hand-made cases are checked for, plus what follows from the real audit: YAML
 * and JSON parse, workflows pass GitHub's parser, k6 scripts are ES modules, the team's own
 * Dockerfile is never replaced, ports and health paths are the auditor's, migrations bring the
 * expand/contract runbook, and releases follow the strategy with what the target supports.
 */
import { parse as parseModule } from 'acorn';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { MIGRATION_RUNBOOK } from '../../engine/agents/blueprint/render-docs.ts';
import { slugOf } from '../../engine/agents/blueprint/service-view.ts';
import { AUDITED_CASES, auditedPlanFor, auditedStackOf } from './audited-cases.ts';
import { workflowErrors } from '../../engine/agents/blueprint/self-check/workflow-parser.ts';

const helmTemplate = /^deploy\/helm\/[^/]+\/templates\//;
const plans = await Promise.all(
  AUDITED_CASES.map(async (c) => ({ c, plan: await auditedPlanFor(c.name) })),
);

describe('audited plans', () => {
  it.each(plans.map((p) => [p.c.name, p] as const))('%s: files parse', (_name, { plan }) => {
    for (const a of plan.artifacts) {
      if (/\.ya?ml$/.test(a.path) && !helmTemplate.test(a.path)) {
        const errors = parseAllDocuments(a.content).flatMap((d) => d.errors.map((e) => e.message));
        expect(errors, a.path).toEqual([]);
      }
      if (a.path.endsWith('.json')) expect(() => JSON.parse(a.content), a.path).not.toThrow();
      if (/^perf\/k6\/.+\.js$/.test(a.path))
        expect(
          () => parseModule(a.content, { ecmaVersion: 'latest', sourceType: 'module' }),
          a.path,
        ).not.toThrow();
      if (a.path.startsWith('.github/workflows/'))
        expect(workflowErrors(a.path, a.content), a.path).toEqual([]);
      expect(a.content, a.path).not.toMatch(/\[\[[#/>]?\s*[\w.]*\]\]/);
    }
  });

  it.each(plans.map((p) => [p.c.name, p] as const))(
    '%s: follows the fingerprint',
    (name, { c, plan }) => {
      const { fingerprint } = auditedStackOf(name);
      const paths = plan.artifacts.map((a) => a.path);
      for (const service of fingerprint.services) {
        if (service.dockerfile) expect(paths).not.toContain(service.dockerfile.value.path);
        const slug = plan.summary.services.find((s) => s.startsWith(slugOf(service.name)))!;
        const k6 = plan.artifacts.find((a) => a.path === `perf/k6/${slug}.js`);
        if (service.healthEndpoint)
          expect(k6?.content, slug).toContain(service.healthEndpoint.value);
        const dockerfile = plan.artifacts.find(
          (a) => a.path === `${service.path === '.' ? '' : `${service.path}/`}Dockerfile`,
        );
        if (dockerfile && service.port) {
          expect(dockerfile.content).toContain(`EXPOSE ${service.port.value}\n`);
          if (service.healthEndpoint)
            expect(dockerfile.content).toContain(
              `127.0.0.1:${service.port.value}${service.healthEndpoint.value}`,
            );
        }
      }
      const migrating = fingerprint.services.filter((s) => s.migrations);
      const runbook = plan.artifacts.find((a) => a.path === MIGRATION_RUNBOOK);
      expect(Boolean(runbook)).toBe(migrating.length > 0);
      for (const s of migrating) {
        expect(runbook!.content).toContain(`(\`${s.migrations!.value.path}\`)`);
        expect(plan.summary.notes.join('\n')).toContain(`${s.migrations!.value.tool} migrations`);
      }
      // Releases follow the strategy: ProdSprint's canary steps on the Docker target, Argo
      // Rollouts (waited on as a Rollout) on Kubernetes; other targets have no deploy job.
      const canary = (c.inputs.strategy ?? 'canary') === 'canary';
      for (const a of plan.artifacts.filter((x) => x.path.startsWith('.github/workflows/'))) {
        if (c.target === 'docker' && a.content.includes('prodsprint release create'))
          expect(a.content.includes('--steps 1,5,25,100'), a.path).toBe(canary);
        if (['kubernetes', 'eks', 'gke'].includes(c.target))
          expect(a.content.includes('rollout/'), a.path).toBe(canary);
        if (!['docker', 'kubernetes', 'eks', 'gke'].includes(c.target))
          expect(a.content, a.path).not.toContain('deploy-prod:');
      }
    },
  );
});
