import { describe, expect, it } from 'vitest';
import { interpolate, parseCompose } from './compose.ts';

describe('compose build specs', () => {
  it('given a long-form build, when parsed, then the Dockerfile is relative to the context and known args are kept', () => {
    const parsed = parseCompose(
      'deploy/compose.yaml',
      `services:
  api:
    build:
      context: ..
      dockerfile: services/api/Dockerfile
      target: \${API_TARGET:-runtime}
      args:
        NODE_VERSION: 20
        APP_ENV: \${APP_ENV:-production}
        GIT_SHA: \${GIT_SHA}
        DEBUG:
  worker:
    build:
      context: worker
      args:
        - MODE=queue
        - FROM_ENV
        - BAD=\${X:?required}
  inline:
    build:
      dockerfile_inline: FROM alpine
`,
    );
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.services.map((service) => service.buildSpec)).toEqual([
      {
        context: '.',
        dockerfile: 'services/api/Dockerfile',
        target: 'runtime',
        args: { APP_ENV: 'production', NODE_VERSION: '20' },
        evidence: [
          { file: 'deploy/compose.yaml', line: 3 },
          { file: 'deploy/compose.yaml', line: 6 },
        ],
      },
      {
        context: 'deploy/worker',
        dockerfile: 'deploy/worker/Dockerfile',
        target: null,
        args: { MODE: 'queue' },
        evidence: [{ file: 'deploy/compose.yaml', line: 13 }],
      },
      null,
    ]);
  });
});

describe('interpolate', () => {
  it('given compose interpolation, when the environment is empty, then defaults apply and the rest is unknown', () => {
    expect(interpolate('plain')).toBe('plain');
    expect(interpolate('a-${X:-b}-${Y-c}')).toBe('a-b-c');
    expect(interpolate('cost $$5')).toBe('cost $5');
    expect(interpolate('${X}')).toBeUndefined();
    expect(interpolate('$X')).toBeUndefined();
    expect(interpolate('${X:+y}')).toBeUndefined();
    expect(interpolate('${X:-${Y:-z}}')).toBeUndefined();
    expect(interpolate('${X')).toBeUndefined();
  });
});

describe('compose proxy labels', () => {
  it('given Traefik labels in list or map form, when parsed, then the port the proxy is told is the service port', () => {
    const parsed = parseCompose(
      'compose.yaml',
      `services:
  backend:
    build: backend
    labels:
      - "traefik.enable=true"
      - "traefik.http.services.go.loadbalancer.server.port=80"
  api:
    image: api
    labels:
      traefik.http.services.api.loadbalancer.server.port: "8081"
  plain:
    image: plain
    labels:
      - "traefik.http.services.x.loadbalancer.server.port=http"
`,
    );
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.services.map((service) => service.proxyPort)).toEqual([
      { port: 80, evidence: { file: 'compose.yaml', line: 4 } },
      { port: 8081, evidence: { file: 'compose.yaml', line: 9 } },
      null,
    ]);
  });
});
