/**
 * Generated Kubernetes objects validate against the Kubernetes OpenAPI schemas shipped in
 * kubernetes-models, and Argo Rollouts' kinds against their CRD schemas
 * (@kubernetes-models/argo-rollouts); the canary and analysis parts are checked against what
 * issue 7 asks for.
 */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { artifactsMatching } from './cases.ts';
import {
  validateK8sObject as validate,
  type K8sObject as Obj,
} from '../../engine/agents/blueprint/self-check/k8s-schema.ts';

const manifests = (await artifactsMatching(/^deploy\/k8s\/.+\.yaml$/)).map((m) => ({
  ...m,
  object: parse(m.content) as Obj,
}));

describe('Kubernetes manifests', () => {
  it('are generated for the Kubernetes targets only', () => {
    expect([...new Set(manifests.map((m) => m.name))].sort()).toEqual([
      'go-gin-kubernetes',
      'java-spring-kubernetes',
      'monorepo-eks',
      'node-express-kubernetes',
      'python-fastapi-kubernetes',
    ]);
  });

  it('the schema check rejects an invalid object (it is really validating)', () => {
    expect(() =>
      validate({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'x' },
        spec: { ports: 'http' },
      }),
    ).toThrow();
  });

  it.each(manifests.map((m) => [`${m.name}: ${m.path}`, m] as const))(
    '%s validates',
    (_label, m) => {
      expect(() => validate(m.object)).not.toThrow();
    },
  );

  it('canary Rollouts step 1/5/25/100, judged by an analysis where the service has HTTP metrics and by a person where not; rolling uses a Deployment', () => {
    const rollouts = manifests.filter((m) => m.object.kind === 'Rollout');
    expect(rollouts.length).toBeGreaterThan(0);
    for (const { name, path, object } of rollouts) {
      const canary = (
        object.spec!.strategy as {
          canary: { steps: Array<{ setWeight?: number; pause?: unknown }>; analysis?: unknown };
        }
      ).canary;
      expect(canary.steps.flatMap((s) => (s.setWeight === undefined ? [] : [s.setWeight]))).toEqual(
        [1, 5, 25, 100],
      );
      const template = manifests.find(
        (m) =>
          m.name === name && m.path === path.replace(/rollout\.yaml$/, 'analysis-template.yaml'),
      );
      if (template) expect(canary.analysis).toBeDefined();
      else {
        expect(canary.analysis).toBeUndefined();
        // No metrics to judge by: every step waits for `kubectl argo rollouts promote`.
        for (const step of canary.steps.filter((s) => s.pause)) expect(step.pause).toEqual({});
      }
    }
    for (const { object } of manifests.filter((m) => m.object.kind === 'AnalysisTemplate')) {
      const metrics = (
        object.spec as { metrics: Array<{ provider: { prometheus?: { query: string } } }> }
      ).metrics;
      for (const query of metrics.map((x) => x.provider.prometheus?.query ?? ''))
        expect(query).toMatch(/service_name="\{\{args\.service-name\}\}"/);
    }
    const rolling = manifests
      .filter((m) => m.name === 'go-gin-kubernetes')
      .map((m) => m.object.kind);
    expect(rolling).toContain('Deployment');
    expect(rolling).not.toContain('Rollout');
  });

  it('run workloads as non-root with a read-only root filesystem and no privilege escalation', () => {
    for (const { object } of manifests.filter((m) =>
      ['Rollout', 'Deployment'].includes(m.object.kind),
    )) {
      const pod = (
        object.spec!.template as {
          spec: {
            securityContext: Record<string, unknown>;
            containers: Array<{ image: string; securityContext: Record<string, unknown> }>;
          };
        }
      ).spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      for (const c of pod.containers) {
        expect(c.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
      }
    }
  });
});
