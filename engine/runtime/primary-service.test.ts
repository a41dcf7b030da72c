import { describe, expect, it } from 'vitest';
import type { Fingerprint, Service } from '../agents/repo-auditor/index.ts';
import { primaryService } from './primary-service.ts';

const at = [{ file: 'Dockerfile', line: 1 }];

function service(name: string, fields: Partial<Service>): Service {
  return {
    name,
    path: name,
    language: null,
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
    ...fields,
  } as Service;
}

function fingerprintOf(...services: Service[]): Fingerprint {
  return { services } as unknown as Fingerprint;
}

describe('primaryService', () => {
  it('given a health route, checks it over HTTP with no warning', () => {
    const result = primaryService(
      fingerprintOf(
        service('api', {
          language: { value: 'typescript', evidence: at },
          port: { value: 3000, evidence: at },
          healthEndpoint: { value: '/healthz', evidence: at },
        }),
      ),
    );
    expect(result).toMatchObject({
      ok: true,
      service: {
        name: 'api',
        port: 3000,
        healthPath: '/healthz',
        health: { kind: 'http', path: '/healthz' },
        healthWarning: null,
      },
    });
  });

  it('given no health route, falls back to TCP and GET / with a warning naming the remedy', () => {
    const result = primaryService(
      fingerprintOf(
        service('web', {
          language: { value: 'python', evidence: at },
          port: { value: 8000, evidence: at },
        }),
      ),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.service.health).toEqual({ kind: 'tcp', path: '/' });
    expect(result.service.healthPath).toBe('/');
    expect(result.service.healthWarning?.reason).toMatch(/no health route/);
    expect(result.service.healthWarning?.remedy).toMatch(/GET \/healthz/);
  });

  it('prefers the repository’s own code over a proxy it also builds', () => {
    const result = primaryService(
      fingerprintOf(
        service('proxy', { port: { value: 80, evidence: at } }),
        service('backend', {
          language: { value: 'python', evidence: at },
          port: { value: 8000, evidence: at },
        }),
      ),
    );
    expect(result.ok && result.service.name).toBe('backend');
  });

  it('refuses a repository with no listening port, saying how to show one', () => {
    const result = primaryService(fingerprintOf(service('worker', {})));
    expect(result).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no service/),
      remedy: expect.stringContaining('--answer <service>.port=<port>'),
    });
  });

  it('given the approved answer to the port question, releases on that port', () => {
    const api = service('Api', { language: { value: 'go', evidence: at } });
    const result = primaryService(fingerprintOf(api), { 'api.port': '8081' });
    expect(result).toMatchObject({ ok: true, service: { name: 'Api', port: 8081 } });
    expect(primaryService(fingerprintOf(api), { 'api.port': 'eighty' }).ok).toBe(false);
  });

  it('never releases a test runner or a development tool, even one with a port', () => {
    const sut = service('sut', {
      port: { value: 3000, evidence: at },
      role: { value: 'test-runner', evidence: at },
    });
    const app = service('app', { port: { value: 8080, evidence: at } });
    expect(primaryService(fingerprintOf(sut, app))).toMatchObject({
      ok: true,
      service: { name: 'app' },
    });
  });
});
