import Docker from 'dockerode';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProgram } from './binaries.ts';
import {
  listLocalEnvironments,
  openLocalEnvironment,
  stopLocalEnvironment,
} from './environment.ts';
import { LocalEnvironmentError } from './errors.ts';

describe('local environment without its programs', () => {
  it.skipIf(findProgram('prometheus', { PATH: '' }) !== undefined)(
    'names the Debian package of a missing program and starts nothing (prometheus must be off sbin)',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'env-missing-'));
      try {
        const error = (await openLocalEnvironment({
          dataDir,
          docker: new Docker({ socketPath: '/nonexistent/docker.sock' }),
          projectId: 'shop',
          environment: 'prod',
          appPort: 8080,
          healthPath: '/healthz',
          env: { PATH: '' },
        }).catch((e: unknown) => e)) as LocalEnvironmentError;
        expect(error).toBeInstanceOf(LocalEnvironmentError);
        expect(error.message).toMatch(/^(haproxy|prometheus) is not installed/);
        expect(error.remediation).toMatch(/apt-get install -y .*(haproxy|prometheus)$/);
        expect(existsSync(join(dataDir, 'environments', 'shop--prod', 'state.json'))).toBe(false);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );

  it('lists nothing and stops nothing in a data dir without environments', async () => {
    const dataDir = join(tmpdir(), 'env-none-does-not-exist');
    expect(await listLocalEnvironments(dataDir)).toEqual([]);
    expect(await stopLocalEnvironment(dataDir, 'shop', 'prod')).toEqual({
      found: false,
      stoppedPids: [],
      removedContainers: 0,
      removedVolumes: [],
      warnings: [],
    });
  });
});
