/**
 * Observability that matches the app (issue 15): dashboards, alerts and canary analysis query the
 * HTTP metrics the service's own library emits, scraped by the plan's collector and labelled
 * like OTLP metrics; a service that emits none gets the instrumentation proposed and canary
 * steps that wait for a person instead of an analysis that would abort every rollout. Each case
 * is a small repository written for this test, audited and planned as a user's would be.
 */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { planBlueprint } from '../../engine/agents/blueprint/plan.ts';
import type { Plan } from '../../engine/agents/blueprint/plan-model.ts';
import { auditTree, MemoryTreeReader } from '../../engine/agents/repo-auditor/index.ts';
import { fixtureReader } from './audited-cases.ts';
import type { FixtureTree } from '../fixtures/repos/build-repo.ts';

const FASTAPI: FixtureTree = {
  'requirements.txt':
    'fastapi==0.115.0\nuvicorn==0.30.0\nprometheus-fastapi-instrumentator==7.0.0\n',
  'main.py': [
    'from fastapi import FastAPI',
    'from prometheus_fastapi_instrumentator import Instrumentator',
    'app = FastAPI()',
    'Instrumentator().instrument(app).expose(app)',
    '@app.get("/healthz")',
    'def health():',
    '    return {"ok": True}',
    '',
  ].join('\n'),
};

const SPRING: FixtureTree = {
  'pom.xml': `<project>
  <artifactId>orders</artifactId>
  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.3.0</version></parent>
  <dependencies>
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-actuator</artifactId></dependency>
    <dependency><groupId>io.micrometer</groupId><artifactId>micrometer-registry-prometheus</artifactId></dependency>
  </dependencies>
</project>
`,
  'src/main/java/shop/App.java': 'package shop;\npublic class App {}\n',
};

const EXPRESS: FixtureTree = {
  'package.json': JSON.stringify({
    name: 'plain',
    scripts: { start: 'node server.js' },
    dependencies: { express: '^4.21.2' },
  }),
  'package-lock.json': '{"lockfileVersion":3,"packages":{}}',
  'server.js':
    "const app = require('express')();\napp.get('/healthz', (q, r) => r.send('ok'));\napp.listen(3000);\n",
};

async function planOf(tree: FixtureTree): Promise<Plan> {
  const fingerprint = await auditTree(new MemoryTreeReader(tree as Record<string, string>));
  return planBlueprint(
    fingerprint,
    { target: 'kubernetes', strategy: 'canary' },
    { readCurrentFile: fixtureReader(tree) },
  );
}

const text = (plan: Plan, path: string) => {
  const found = plan.artifacts.find((a) => a.path === path);
  if (!found)
    throw new Error(`${path} is not in the plan: ${plan.artifacts.map((a) => a.path).join(', ')}`);
  return found.content;
};
const slugOf = (plan: Plan) => plan.summary.services[0]!;

describe('metrics the service emits', () => {
  it('given prometheus-fastapi-instrumentator, then analysis, alerts and dashboard query its metrics, scraped by the collector', async () => {
    const plan = await planOf(FASTAPI);
    const slug = slugOf(plan);
    const analysis = text(plan, `deploy/k8s/prod/${slug}/analysis-template.yaml`);
    expect(analysis).toContain(
      `http_requests_total{service_name="{{args.service-name}}",status!~"5.."}`,
    );
    expect(analysis).toContain('http_request_duration_seconds_bucket{service_name=');
    expect(analysis).not.toContain('http_server_request_duration');
    expect(text(plan, `observability/prometheus/${slug}-alerts.yaml`)).toContain(
      'http_requests_total',
    );
    const rollout = parse(text(plan, `deploy/k8s/prod/${slug}/rollout.yaml`));
    expect(rollout.spec.strategy.canary.analysis.templates).toEqual([
      { templateName: `${slug}-health` },
    ]);
    expect(rollout.spec.template.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': expect.any(String),
      'prometheus.io/path': '/metrics',
    });
    const collector = parse(text(plan, 'observability/otel-collector.yaml'));
    expect(collector.service.pipelines.metrics.receivers).toEqual(['otlp', 'prometheus']);
    const relabels = collector.receivers.prometheus.config.scrape_configs[0].relabel_configs;
    expect(relabels.map((r: { target_label?: string }) => r.target_label)).toContain(
      'service_name',
    );
    const policy = text(plan, `deploy/k8s/prod/${slug}/networkpolicy.yaml`);
    expect(policy).toContain('kubernetes.io/metadata.name: observability');
    expect(plan.summary.notes.join('\n')).toMatch(
      /read the fastapi-instrumentator HTTP metrics it already emits \(requirements\.txt:3\), scraped from \/metrics/,
    );
  });

  it('given Micrometer’s Prometheus registry, then its metric names and the actuator path, and the histogram it needs for p95', async () => {
    const plan = await planOf(SPRING);
    const slug = slugOf(plan);
    const analysis = text(plan, `deploy/k8s/prod/${slug}/analysis-template.yaml`);
    expect(analysis).toContain('http_server_requests_seconds_count{service_name=');
    expect(analysis).toContain('status!~"5.."');
    const rollout = parse(text(plan, `deploy/k8s/prod/${slug}/rollout.yaml`));
    expect(rollout.spec.template.metadata.annotations['prometheus.io/path']).toBe(
      '/actuator/prometheus',
    );
    expect(plan.summary.notes.join('\n')).toContain(
      'percentiles-histogram.http.server.requests=true',
    );
  });

  it('given no metrics library, then no analysis judges the canary: each step waits for a person, and the plan says what lands it', async () => {
    const plan = await planOf(EXPRESS);
    const slug = slugOf(plan);
    expect(plan.artifacts.map((a) => a.path)).not.toContain(
      `deploy/k8s/prod/${slug}/analysis-template.yaml`,
    );
    const rollout = parse(text(plan, `deploy/k8s/prod/${slug}/rollout.yaml`));
    const canary = rollout.spec.strategy.canary;
    expect(canary.analysis).toBeUndefined();
    expect(canary.steps.filter((s: { pause?: unknown }) => s.pause)).toEqual([
      { pause: {} },
      { pause: {} },
      { pause: {} },
    ]);
    expect(rollout.spec.template.metadata.annotations).toBeUndefined();
    const collector = parse(text(plan, 'observability/otel-collector.yaml'));
    expect(collector.receivers.prometheus).toBeUndefined();
    expect(plan.summary.notes.join('\n')).toContain(
      `(docs/instrumentation/${slug}.md), absent until it lands; until then no analysis can judge a canary, so each canary step waits for a person (\`kubectl argo rollouts promote ${slug}\`)`,
    );
  });
});
