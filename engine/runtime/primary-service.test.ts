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
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/no service/) });
  });
});
