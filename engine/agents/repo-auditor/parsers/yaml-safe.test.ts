import { describe, expect, it } from 'vitest';
import { parseCompose } from './compose.ts';
import { parseHelmChart, parseK8sManifest } from './kubernetes.ts';
import { parseYaml } from './yaml-safe.ts';

const BOMB = [
  'a: &a [x,x,x,x,x,x,x,x,x]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
].join('\n');

describe('parseYaml', () => {
  it('refuses alias bombs instead of expanding them', () => {
    const result = parseYaml(BOMB);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toMatch(/alias/i);
  });

  it('returns syntax errors with their line as values', () => {
    expect(parseYaml('a: 1\nb: c: d\n')).toMatchObject({ ok: false, line: 2 });
  });

  it('finds the line of a nested key', () => {
    const result = parseYaml('x: 1\nserver:\n  host: a\n  port: 8080\n');
    expect(result.ok && result.docs[0]?.keyLine(['server', 'port'])).toBe(4);
  });
});

describe('parseCompose', () => {
  it('reads build contexts, container ports, environment and health checks', () => {
    const result = parseCompose(
      'deploy/compose.yaml',
      `services:
  api:
    build:
      context: ../api
      dockerfile: Dockerfile.prod
    ports: ["127.0.0.1:8080:80/tcp", 9000, { target: 7000, published: 17000 }]
    environment:
      - TOKEN_FILE=/run/secrets/t
    healthcheck:
      test: ["CMD", "wget", "-qO-", "http://localhost/healthz"]
  db:
    image: postgres:16
    environment:
      POSTGRES_DB: app
`,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [api, db] = result.services;
    expect(api).toMatchObject({
      name: 'api',
      build: 'api',
      dockerfile: 'api/Dockerfile.prod',
      ports: [80, 9000, 7000],
      evidence: [{ file: 'deploy/compose.yaml', line: 2 }],
    });
    expect(api?.env).toEqual([
      { name: 'TOKEN_FILE', evidence: { file: 'deploy/compose.yaml', line: 8 } },
    ]);
    expect(api?.healthcheck?.command).toBe('CMD wget -qO- http://localhost/healthz');
    expect(db).toMatchObject({ name: 'db', image: 'postgres:16', build: null, ports: [] });
    expect(db?.env[0]).toEqual({
      name: 'POSTGRES_DB',
      evidence: { file: 'deploy/compose.yaml', line: 14 },
    });
  });

  it('treats a file without services as empty and a bomb as an error', () => {
    expect(parseCompose('compose.yml', 'version: "3"\n')).toEqual({ ok: true, services: [] });
    expect(parseCompose('compose.yml', `services:\n${BOMB.replace(/^/gm, '  ')}\n`).ok).toBe(false);
  });
});

describe('Kubernetes and Helm', () => {
  it('lists resources of a multi-document manifest and ignores non-resources', () => {
    const result = parseK8sManifest(
      'k8s/app.yaml',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n---\nfoo: bar\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n',
    );
    expect(result).toEqual({
      ok: true,
      manifest: {
        path: 'k8s/app.yaml',
        resources: [
          { kind: 'Service', name: 'web', evidence: [{ file: 'k8s/app.yaml', line: 2 }] },
          { kind: 'Deployment', name: 'web', evidence: [{ file: 'k8s/app.yaml', line: 9 }] },
        ],
      },
      containers: [],
      workloads: [
        {
          kind: 'Deployment',
          name: 'web',
          hook: null,
          containers: [],
          evidence: { file: 'k8s/app.yaml', line: 9 },
        },
      ],
    });
  });

  it('reads Chart.yaml and refuses a chart without a name', () => {
    expect(
      parseHelmChart('c/Chart.yaml', 'c', 'apiVersion: v2\nname: c\nversion: 1.2.3\n'),
    ).toMatchObject({ ok: true, chart: { name: 'c', version: '1.2.3', appVersion: null } });
    expect(parseHelmChart('c/Chart.yaml', 'c', 'version: 1\n').ok).toBe(false);
  });
});
