/**
 * `prodsprint env list|stop` as a user runs it after a sprint (issue 14): two real local
 * environments (HAProxy, Prometheus, the sample app's container on the shared dockerd) opened
 * the way a release opens them, then listed and torn down by the CLI in child processes. A stop
 * leaves no daemon, no container and no state behind, and is an audit entry.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openLocalEnvironment,
  stopLocalEnvironment,
} from '../../engine/environments/local/environment.ts';
import { listInstances } from '../../engine/targets/docker/containers.ts';
import { ensureSampleAppImages, sampleAppVersion } from '../fixtures/sample-app/image.ts';
import { infraDir, isAlive } from '../support/infra/daemon.ts';
import { acquireDockerEngine, dockerUnavailableReason } from '../support/infra/docker-engine.ts';
import type { DockerEngine } from '../support/infra/docker-engine.ts';
import { runCli } from '../support/run-cli.ts';

const skipReason = dockerUnavailableReason();
// CI installs docker.io, haproxy and prometheus (scripts/setup.sh): there a missing engine fails.
if (skipReason && process.env.CI)
  throw new Error(`CI must run the env CLI tests, but: ${skipReason}`);
if (skipReason) console.warn(`skipping env CLI tests: ${skipReason}`);

interface Listed {
  projectId: string;
  environment: string;
  url: string;
  daemons: {
    haproxy: { pid: number; running: boolean };
    prometheus: { pid: number; running: boolean };
  };
}

describe.skipIf(skipReason !== undefined)('prodsprint env list|stop', () => {
  let engine: DockerEngine;
  let dataDir: string;
  const projectId = `envcli-${randomBytes(3).toString('hex')}`;
  const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);
  const ours = async (): Promise<Listed[]> => {
    const list = await cli('env', 'list', '--json');
    expect(list.code, list.stderr).toBe(0);
    return (JSON.parse(list.stdout).environments as Listed[]).filter(
      (e) => e.projectId === projectId,
    );
  };

  beforeAll(async () => {
    engine = await acquireDockerEngine();
    await ensureSampleAppImages(engine.docker);
    dataDir = mkdtempSync(join(infraDir(), 'env-cli-'));
    for (const environment of ['staging', 'prod']) {
      const opened = await openLocalEnvironment({
        dataDir,
        docker: engine.docker,
        projectId,
        environment,
        appPort: 8080,
        healthPath: '/healthz',
      });
      if (environment === 'staging') await opened.target.deploy(sampleAppVersion('v1'));
      await opened.close();
    }
  });

  afterAll(async () => {
    for (const environment of ['staging', 'prod'])
      await stopLocalEnvironment(dataDir, projectId, environment, { docker: engine.docker });
    rmSync(dataDir, { recursive: true, force: true });
    await engine?.release();
  });

  it('lists both environments with their URL and running daemons', async () => {
    const listed = await ours();
    expect(listed.map((e) => e.environment).sort()).toEqual(['prod', 'staging']);
    for (const environment of listed) {
      expect(environment.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(environment.daemons.haproxy.running && environment.daemons.prometheus.running).toBe(
        true,
      );
    }
    const text = await cli('env', 'list');
    expect(text.stdout.split('\n')[0]).toMatch(/^PROJECT\s+ENVIRONMENT\s+URL\s+DAEMONS\s+CREATED$/);
    expect(text.stdout).toMatch(
      new RegExp(`${projectId}\\s+staging\\s+http://127\\.0\\.0\\.1:\\d+\\s+2/2 running`),
    );
  });

  it('refuses to stop every environment without --all (exit 2), and stops nothing', async () => {
    const result = await cli('env', 'stop', projectId);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('name the environment to stop, or give --all');
    expect(await ours()).toHaveLength(2);
  });

  it('stops one environment: its container, daemons and state are gone, and the stop is audited', async () => {
    const [staging] = (await ours()).filter((e) => e.environment === 'staging');
    const pids = [staging!.daemons.haproxy.pid, staging!.daemons.prometheus.pid];
    const result = await cli('env', 'stop', projectId, 'staging');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      `Stopped ${projectId}/staging: 2 daemon(s) (pid ${pids.join(', ')}), 1 container(s) removed\n`,
    );
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    expect(
      await listInstances(engine.docker, { project: projectId, environment: 'staging' }),
    ).toEqual([]);
    expect((await ours()).map((e) => e.environment)).toEqual(['prod']);

    const db = new Database(join(dataDir, 'prodsprint.db'), { readonly: true });
    try {
      const entry = db
        .prepare(`SELECT target, meta FROM audit_log WHERE action = 'environment.stopped'`)
        .get() as { target: string; meta: string };
      expect(entry.target).toBe(`project:${projectId}`);
      expect(JSON.parse(entry.meta)).toEqual({
        environment: 'staging',
        stoppedPids: pids,
        removedContainers: 1,
        removedVolumes: [],
        warnings: [],
      });
    } finally {
      db.close();
    }
  });

  it('stops the rest with --all, and says so when nothing is left', async () => {
    const all = await cli('env', 'stop', projectId, '--all', '--json');
    expect(all.code, all.stderr).toBe(0);
    expect(JSON.parse(all.stdout)).toMatchObject({
      projectId,
      stopped: [{ environment: 'prod', removedContainers: 0, warnings: [] }],
    });
    expect(await ours()).toEqual([]);
    const again = await cli('env', 'stop', projectId, '--all');
    expect(again.stdout).toBe(`No environments of ${projectId} were running; nothing stopped.\n`);
    const missing = await cli('env', 'stop', projectId, 'prod');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`there is no local environment prod of ${projectId}`);
  });
});
