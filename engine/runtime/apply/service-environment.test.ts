import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Service } from '../../agents/repo-auditor/index.ts';
import { serviceEnvironment } from './service-environment.ts';

const repo = mkdtempSync(join(tmpdir(), 'prodsprint-service-env-'));
afterAll(() => rmSync(repo, { recursive: true, force: true }));
writeFileSync(
  join(repo, '.env.example'),
  [
    'NODE_ENV=development',
    'JWT_SECRET=thisisasamplesecret',
    'MONGODB_URL=mongodb://127.0.0.1:27017/app',
    'SMTP_HOST=',
    'APP_NAME=<your app name>',
    'LOG_LEVEL=info',
  ].join('\n'),
);

function read(name: string, file: string) {
  return { value: name, evidence: [{ file, line: 1 }] };
}

const service = {
  name: 'api',
  path: '.',
  envVars: [
    read('NODE_ENV', '.env.example'),
    read('JWT_SECRET', '.env.example'),
    read('MONGODB_URL', '.env.example'),
    read('SMTP_HOST', '.env.example'),
    read('APP_NAME', '.env.example'),
    read('LOG_LEVEL', 'src/config.js'),
    read('FEATURE_FLAGS', 'src/config.js'),
    read('PORT', 'src/config.js'),
    read('DATABASE_URL', 'src/db.js'),
  ],
} as unknown as Service;

describe('serviceEnvironment', () => {
  const build = (backing: Record<string, string> = {}) =>
    serviceEnvironment({
      service,
      repoDir: repo,
      port: 3000,
      backing,
      secret: (name) => `generated-${name.toLowerCase()}`,
      environment: 'staging',
    });

  it('given a template, takes its non-secret sample values and generates the secrets', () => {
    const { env, secretNames } = build();
    expect(env).toMatchObject({
      PORT: '3000',
      NODE_ENV: 'development',
      MONGODB_URL: 'mongodb://127.0.0.1:27017/app',
      JWT_SECRET: 'generated-jwt_secret',
    });
    expect(secretNames).toEqual(['JWT_SECRET']);
  });

  it('leaves empty and placeholder samples and names with no sample unset', () => {
    const { env } = build();
    expect(env).not.toHaveProperty('SMTP_HOST');
    expect(env).not.toHaveProperty('APP_NAME');
    expect(env).not.toHaveProperty('FEATURE_FLAGS');
    // Read in code, documented in the template: the sample applies.
    expect(env.LOG_LEVEL).toBe('info');
    expect(env).not.toHaveProperty('DATABASE_URL');
  });

  it('wires backing services over template samples', () => {
    const { env } = build({
      DATABASE_URL: 'postgres://app:pw@db:5432/app',
      MONGODB_URL: 'mongodb://mongo:27017/app',
    });
    expect(env.DATABASE_URL).toBe('postgres://app:pw@db:5432/app');
    expect(env.MONGODB_URL).toBe('mongodb://mongo:27017/app');
  });

  it('warns about sample values and generated secrets, each with a remedy', () => {
    const { warnings } = build();
    expect(warnings).toEqual([
      expect.objectContaining({
        subject: 'service api: configuration',
        reason: expect.stringContaining('NODE_ENV, MONGODB_URL'),
      }),
      expect.objectContaining({
        subject: 'service api: secrets',
        reason: expect.stringContaining('JWT_SECRET'),
        remedy: expect.stringMatching(/secret store/),
      }),
    ]);
  });
});
