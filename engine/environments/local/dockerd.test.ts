import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  adoptDockerd,
  dockerdPaths,
  ensureDockerd,
  localDockerDir,
  readDockerdOwner,
} from './dockerd.ts';

describe('shared dockerd state', () => {
  it('lives in PRODSPRINT_DOCKER_DIR, else one machine-wide dir', () => {
    expect(localDockerDir({ PRODSPRINT_DOCKER_DIR: '/cache/docker' })).toBe('/cache/docker');
    expect(localDockerDir({})).toBe('/var/lib/prodsprint/docker');
    expect(dockerdPaths('/s')).toMatchObject({
      socket: '/s/docker.sock',
      dataRoot: '/s/data',
      execRoot: '/s/exec',
    });
  });

  it('the product adopts a daemon the tests started, so their last lease no longer stops it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dockerd-adopt-'));
    try {
      await adoptDockerd(dir); // no owner: nothing to adopt
      expect(readDockerdOwner(dir)).toBeUndefined();
      const owner = { pid: 4242, startedBy: 'test', startedAt: '2026-01-01T00:00:00.000Z' };
      writeFileSync(dockerdPaths(dir).ownerFile, JSON.stringify(owner));
      await adoptDockerd(dir);
      expect(readDockerdOwner(dir)).toEqual({ ...owner, startedBy: 'product' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a state dir whose socket path would not fit a unix socket', async () => {
    await expect(
      ensureDockerd({
        dir: `/${'x'.repeat(100)}`,
        dockerd: '/usr/sbin/dockerd',
        startedBy: 'test',
      }),
    ).rejects.toThrow(/longer than unix sockets allow/);
  });
});
