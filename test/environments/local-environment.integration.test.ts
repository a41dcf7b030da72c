/**
 * The product's local environment against the real components (issues 9 and 10): the Docker
 * Engine got through connectDockerEngine, HAProxy and Prometheus started by
 * openLocalEnvironment, the sample app deployed through the returned DockerTarget. Proves what
 * `prodsprint release` relies on between processes: reuse of the same daemons and ports, a
 * killed HAProxy brought back on its port with servers re-registered, one set of daemons under
 * concurrent opens, and stop() leaving nothing behind.
 */
import Docker from 'dockerode';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDockerEngine } from '../../engine/environments/local/docker-engine.ts';
import {
  listLocalEnvironments,
  openLocalEnvironment,
  stopLocalEnvironment,
} from '../../engine/environments/local/environment.ts';
import type {
  LocalEnvironment,
  LocalEnvironmentInfo,
  OpenLocalEnvironmentOptions,
} from '../../engine/environments/local/environment.ts';
import { listInstances } from '../../engine/targets/docker/containers.ts';
import { PrometheusHealth } from '../../engine/targets/health/prometheus.ts';
import { ensureSampleAppImages, sampleAppVersion } from '../fixtures/sample-app/image.ts';
import { infraDir, isAlive, waitUntil } from '../support/infra/daemon.ts';
import { acquireDockerEngine, dockerUnavailableReason } from '../support/infra/docker-engine.ts';
import type { DockerEngine } from '../support/infra/docker-engine.ts';

const skipReason = dockerUnavailableReason();
// CI installs docker.io, haproxy and prometheus (scripts/setup.sh): there a missing engine fails.
if (skipReason && process.env.CI)
  throw new Error(`CI must run the local environment tests, but: ${skipReason}`);
if (skipReason) console.warn(`skipping local environment tests: ${skipReason}`);

/** GET / through the environment's frontend: status and the version that answered. */
async function get(url: string): Promise<{ status: number; version: string | null }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  await response.arrayBuffer();
  return { status: response.status, version: response.headers.get('x-app-version') };
}

/**
 * Daemons whose command line mentions `text` (e.g. one environment's config), counting a process
 * tree once: HAProxy in master-worker mode forks a worker with the master's command line.
 */
function daemonsMentioning(text: string): number[] {
  const matching = new Map<number, number>();
  for (const name of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      if (!readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(text)) continue;
      // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after ')'.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      matching.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited while we looked
    }
  }
  return [...matching].filter(([, parent]) => !matching.has(parent)).map(([pid]) => pid);
}

describe.skipIf(skipReason !== undefined)('local environment (docker target)', () => {
  let engine: DockerEngine;
  let dataDir: string;
  let options: OpenLocalEnvironmentOptions;
  let first: LocalEnvironment;
  const projectId = `localenv-${randomBytes(3).toString('hex')}`;
  const info = async (environment = 'prod'): Promise<LocalEnvironmentInfo | undefined> =>
    (await listLocalEnvironments(dataDir)).find(
      (e) => e.projectId === projectId && e.environment === environment,
    );

  beforeAll(async () => {
    engine = await acquireDockerEngine();
    await ensureSampleAppImages(engine.docker);
    dataDir = mkdtempSync(join(infraDir(), 'localenv-'));
    options = {
      dataDir,
      docker: engine.docker,
      projectId,
      environment: 'prod',
      appPort: 8080,
      healthPath: '/healthz',
    };
  });

  afterAll(async () => {
    // Whatever a failed test left: stop by state, then the engine lease.
    for (const environment of ['prod', 'staging'])
      await stopLocalEnvironment(dataDir, projectId, environment, { docker: engine.docker });
    rmSync(dataDir, { recursive: true, force: true });
    await engine?.release();
  });

  it('connectDockerEngine finds the engine the tests use and says how', async () => {
    // startedBy 'test': the product would adopt a test-started daemon and keep it running.
    const connection = await connectDockerEngine({ startIfNeeded: false, startedBy: 'test' });
    expect(connection.socketPath).toBe(engine.socketPath);
    expect(connection.started).toBe(false);
    expect(connection.describe).toContain(engine.socketPath);
    await expect(connection.docker.ping()).resolves.toBeTruthy();
    const viaHost = await connectDockerEngine({
      startIfNeeded: false,
      startedBy: 'test',
      env: { DOCKER_HOST: `unix://${engine.socketPath}` },
    });
    expect(viaHost.source).toBe('DOCKER_HOST');
    expect(viaHost.host).toBe(`unix://${engine.socketPath}`);
  });

  it('opens an environment, deploys the sample app and serves a 200 through its url', async () => {
    const progress: string[] = [];
    first = await openLocalEnvironment({ ...options, onProgress: (line) => progress.push(line) });
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.prometheusUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(progress.some((line) => line.startsWith('starting HAProxy'))).toBe(true);
    await first.target.deploy(sampleAppVersion('v1'));
    expect(await first.target.setTraffic({ v1: 100 })).toEqual({ v1: 100 });
    expect(await get(first.url)).toEqual({ status: 200, version: 'v1' });

    const dir = join(dataDir, 'environments', `${projectId}--prod`);
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as {
      ports: Record<string, number>;
    };
    expect(first.url).toBe(`http://127.0.0.1:${state.ports.frontend}`);
    expect(existsSync(join(dir, 'haproxy', 'haproxy.cfg'))).toBe(true);
    expect(existsSync(join(dir, 'prometheus', 'prometheus.yml'))).toBe(true);
  });

  it("Prometheus scrapes HAProxy's exporter and discovers the app's container", async () => {
    const prometheus = new PrometheusHealth({ url: first.prometheusUrl });
    await waitUntil(
      async () => {
        const up = await prometheus.query(`up{job=~"haproxy|app"}`);
        const app = up.find((s) => s.labels.job === 'app' && s.labels.project === projectId);
        const haproxy = up.find((s) => s.labels.job === 'haproxy');
        return app?.value === 1 && app.labels.version === 'v1' && haproxy?.value === 1;
      },
      30_000,
      () => `Prometheus at ${first.prometheusUrl} did not get both targets up within 30 s`,
      500,
    );
  });

  it('a fresh open (as a new process would) reuses the same daemons and ports', async () => {
    const before = await info();
    await first.close();
    const progress: string[] = [];
    const again = await openLocalEnvironment({
      ...options,
      docker: new Docker({ socketPath: engine.socketPath }),
      onProgress: (line) => progress.push(line),
    });
    const after = await info();
    expect(again.url).toBe(first.url);
    expect(again.prometheusUrl).toBe(first.prometheusUrl);
    expect(after?.haproxy).toEqual({ pid: before?.haproxy.pid, running: true });
    expect(after?.prometheus).toEqual({ pid: before?.prometheus.pid, running: true });
    expect(progress.filter((line) => line.startsWith('starting'))).toEqual([]);
    // A reused HAProxy keeps its weights: traffic flows without anyone setting it again.
    expect(await again.target.traffic()).toEqual({ v1: 100 });
    expect(await get(again.url)).toEqual({ status: 200, version: 'v1' });
    await again.close();
  });

  it('a killed HAProxy comes back on the same port and the servers are re-registered', async () => {
    const before = await info();
    process.kill(before!.haproxy.pid!, 'SIGKILL');
    await waitUntil(
      () => !isAlive(before!.haproxy.pid!),
      10_000,
      () => 'HAProxy survived SIGKILL',
    );
    expect((await info())?.haproxy.running).toBe(false);

    const reopened = await openLocalEnvironment(options);
    const after = await info();
    expect(reopened.url).toBe(before!.url);
    expect(after?.haproxy.running).toBe(true);
    expect(after?.haproxy.pid).not.toBe(before!.haproxy.pid);
    expect(after?.prometheus.pid).toBe(before!.prometheus.pid);
    // Re-registered at 0%: only the release, which persisted the split, decides traffic.
    expect(await reopened.target.traffic()).toEqual({ v1: 0 });
    expect(await reopened.target.setTraffic({ v1: 100 })).toEqual({ v1: 100 });
    expect(await get(reopened.url)).toEqual({ status: 200, version: 'v1' });
    first = reopened;
  });

  it('two concurrent opens of one environment start one HAProxy and one Prometheus', async () => {
    const staging = { ...options, environment: 'staging' };
    const [a, b] = await Promise.all([
      openLocalEnvironment(staging),
      openLocalEnvironment(staging),
    ]);
    expect(a.url).toBe(b.url);
    const dir = join(dataDir, 'environments', `${projectId}--staging`);
    expect(daemonsMentioning(join(dir, 'haproxy', 'haproxy.cfg'))).toHaveLength(1);
    expect(daemonsMentioning(join(dir, 'prometheus', 'prometheus.yml'))).toHaveLength(1);
    expect(a.url).not.toBe(first.url);

    // Stopped from its state alone, as a CLI without a handle would.
    const pids = await info('staging');
    const report = await stopLocalEnvironment(dataDir, projectId, 'staging');
    expect(report).toEqual({
      found: true,
      stoppedPids: [pids!.haproxy.pid, pids!.prometheus.pid],
      removedContainers: 0,
      // No backing services here, so no data volumes either (env stop --delete-data removes them).
      removedVolumes: [],
      warnings: [],
    });
    expect(await info('staging')).toBeUndefined();
    expect(existsSync(dir)).toBe(false);
  });

  it('stop() tears the target down and leaves nothing running', async () => {
    const before = await info();
    await first.stop();
    expect(isAlive(before!.haproxy.pid!)).toBe(false);
    expect(isAlive(before!.prometheus.pid!)).toBe(false);
    expect(await listInstances(engine.docker, first.target.scope)).toEqual([]);
    const network = await engine.docker
      .getNetwork(first.target.networkName)
      .inspect()
      .catch(() => undefined);
    expect(network).toBeUndefined();
    expect(await listLocalEnvironments(dataDir)).toEqual([]);
    await expect(fetch(first.url)).rejects.toThrow();
  });
});
