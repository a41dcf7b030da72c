import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  STATE_VERSION,
  adminSocketPath,
  environmentDir,
  environmentDirs,
  readState,
  writeState,
} from './state.ts';
import type { EnvironmentState } from './state.ts';

describe('local environment state', () => {
  it('gives every (project, environment) pair its own folder', () => {
    expect(environmentDir('/d', 'shop', 'prod')).toBe('/d/environments/shop--prod');
    expect(environmentDir('/d', 'a-b', 'c')).not.toBe(environmentDir('/d', 'a', 'b-c'));
    expect(environmentDir('/d', 'Shop', 'prod')).not.toBe(environmentDir('/d', 'shop', 'prod'));
  });

  it('keeps the admin socket inside the dir when it fits, else a stable short path', () => {
    expect(adminSocketPath('/d/environments/shop--prod')).toBe(
      '/d/environments/shop--prod/haproxy/admin.sock',
    );
    const deep = `/${'x'.repeat(120)}/environments/shop--prod`;
    const outside = adminSocketPath(deep);
    expect(outside.length).toBeLessThan(100);
    expect(outside).toBe(adminSocketPath(deep));
    expect(outside).not.toBe(adminSocketPath(`${deep}-2`));
  });

  it('round-trips state.json and lists the dirs that have one', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'env-state-'));
    try {
      const dir = environmentDir(dataDir, 'shop', 'prod');
      expect(readState(dir)).toBeUndefined();
      const state: EnvironmentState = {
        version: STATE_VERSION,
        projectId: 'shop',
        environment: 'prod',
        createdAt: '2026-01-01T00:00:00.000Z',
        dockerHost: 'unix:///var/run/docker.sock',
        backend: 'be',
        adminSocket: adminSocketPath(dir),
        ports: { frontend: 1, exporter: 2, prometheus: 3 },
        haproxy: { pid: 10 },
        prometheus: { pid: null },
      };
      writeState(dir, state);
      expect(readState(dir)).toEqual(state);
      expect(environmentDirs(dataDir)).toEqual([dir]);
      expect(environmentDirs(join(dataDir, 'absent'))).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
