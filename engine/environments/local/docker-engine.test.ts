import Docker from 'dockerode';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProgram } from './binaries.ts';
import {
  SYSTEM_DOCKER_SOCKET,
  connectDockerEngine,
  dockerHostOf,
  dockerOptionsForHost,
  whyCannotStart,
} from './docker-engine.ts';
import { LocalEnvironmentError } from './errors.ts';

const pems = (path: string) => Buffer.from(`pem of ${path}`);

describe('dockerOptionsForHost', () => {
  it('maps unix:// to a socket path and clears any host dockerode would take from the env', () => {
    expect(dockerOptionsForHost('unix:///run/d.sock', {})).toMatchObject({
      socketPath: '/run/d.sock',
      host: undefined,
    });
  });

  it('maps plain tcp:// to http with the default port 2375', () => {
    expect(dockerOptionsForHost('tcp://10.0.0.5', {})).toEqual({
      protocol: 'http',
      host: '10.0.0.5',
      port: 2375,
    });
  });

  it('with DOCKER_TLS_VERIFY, uses https on 2376 and verifies against ca.pem', () => {
    const options = dockerOptionsForHost(
      'tcp://docker.internal',
      { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' },
      pems,
    );
    expect(options).toMatchObject({
      protocol: 'https',
      host: 'docker.internal',
      port: 2376,
      ca: pems('/certs/ca.pem'),
      cert: pems('/certs/cert.pem'),
      key: pems('/certs/key.pem'),
    });
  });

  it('with only DOCKER_CERT_PATH, still uses TLS and still verifies the server', () => {
    const options = dockerOptionsForHost(
      'tcp://docker.internal:3000',
      { DOCKER_CERT_PATH: '/certs' },
      pems,
    );
    expect(options).toMatchObject({ protocol: 'https', port: 3000, ca: pems('/certs/ca.pem') });
  });

  it('reads certificates from ~/.docker when DOCKER_CERT_PATH is unset', () => {
    const read: string[] = [];
    dockerOptionsForHost('tcp://h:2376', { DOCKER_TLS_VERIFY: '1', HOME: '/home/u' }, (path) => {
      read.push(path);
      return Buffer.from('');
    });
    expect(read.sort()).toEqual([
      '/home/u/.docker/ca.pem',
      '/home/u/.docker/cert.pem',
      '/home/u/.docker/key.pem',
    ]);
  });

  it('explains a missing certificate and an unsupported scheme', () => {
    expect(() =>
      dockerOptionsForHost('tcp://h', { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/nope' }),
    ).toThrow(/\/nope\/ca\.pem cannot be read/);
    expect(() => dockerOptionsForHost('ssh://user@h', {})).toThrow(LocalEnvironmentError);
  });
});

describe('dockerHostOf', () => {
  it('names a client as a DOCKER_HOST value', () => {
    expect(dockerHostOf(new Docker({ socketPath: '/run/d.sock', host: undefined }))).toBe(
      'unix:///run/d.sock',
    );
    expect(dockerHostOf(new Docker({ host: '127.0.0.1', port: 2375 }))).toBe(
      'tcp://127.0.0.1:2375',
    );
  });
});

describe('connectDockerEngine', () => {
  it('refuses a DOCKER_HOST that does not answer instead of starting something else', async () => {
    const error = await connectDockerEngine({
      startIfNeeded: true,
      env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LocalEnvironmentError);
    expect((error as Error).message).toContain('DOCKER_HOST=unix:///nonexistent/docker.sock');
  });

  it.skipIf(existsSync(SYSTEM_DOCKER_SOCKET))(
    'says what to do when no engine answers and starting one is not allowed (needs no system daemon)',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'no-docker-'));
      try {
        const error = (await connectDockerEngine({
          startIfNeeded: false,
          env: { PRODSPRINT_DOCKER_DIR: dir, PATH: process.env.PATH },
        }).catch((e: unknown) => e)) as LocalEnvironmentError;
        expect(error).toBeInstanceOf(LocalEnvironmentError);
        expect(error.message).toContain('starting one was not allowed');
        expect(error.remediation).toContain('DOCKER_HOST');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('refuses to start dockerd when not allowed', () => {
    expect(whyCannotStart(false, {})?.reason).toBe('starting one was not allowed');
  });

  it.skipIf(findProgram('dockerd', { PATH: '' }) !== undefined)(
    'names the package to install when dockerd is missing (skipped: dockerd is installed in sbin)',
    () => {
      expect(whyCannotStart(true, { PATH: '' })?.remediation).toContain(
        'apt-get install -y docker.io',
      );
    },
  );
});
