/**
 * Everything a release test or bench needs, real and on 127.0.0.1: a Docker Engine, the sample
 * app's images, and the product's own local environment (engine/environments/local: HAProxy,
 * Prometheus scraping both, a provisioned DockerTarget) in a throwaway data dir. close() removes
 * the target's containers and network and stops only the daemons this stack started.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DockerTarget } from '../../engine/targets/docker/docker-target.ts';
import { PrometheusHealth } from '../../engine/targets/health/prometheus.ts';
import {
  ensureEnvironmentDaemons,
  openLocalEnvironment,
} from '../../engine/environments/local/environment.ts';
import { ensureSampleAppImages } from '../fixtures/sample-app/image.ts';
import { infraDir, stopPid } from '../support/infra/daemon.ts';
import { acquireDockerEngine } from '../support/infra/docker-engine.ts';
import type { DockerEngine } from '../support/infra/docker-engine.ts';
import type { RunningHaproxy } from '../support/infra/haproxy.ts';
import type { RunningPrometheus } from '../support/infra/prometheus.ts';

export const APP_PORT = 8080;

export interface ReleaseStack {
  engine: DockerEngine;
  haproxy: RunningHaproxy;
  prometheus: RunningPrometheus;
  health: PrometheusHealth;
  target: DockerTarget;
  project: string;
  close(): Promise<void>;
}

export async function startReleaseStack(name: string): Promise<ReleaseStack> {
  const project = `${name}-${randomBytes(3).toString('hex')}`;
  const cleanups: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse())
      await cleanup().catch((e: Error) => console.error(e.message));
  };
  try {
    const engine = await acquireDockerEngine();
    cleanups.push(() => engine.release());
    await ensureSampleAppImages(engine.docker);
    const dataDir = mkdtempSync(join(infraDir(), 'stack-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const options = {
      dataDir,
      docker: engine.docker,
      projectId: project,
      environment: 'prod',
      appPort: APP_PORT,
      healthPath: '/healthz',
    };
    const local = await openLocalEnvironment(options);
    cleanups.push(() => local.stop());
    // Reuses what open started; it tells the PIDs, sockets and ports the tests poke at.
    const daemons = await ensureEnvironmentDaemons(options);
    const haproxy: RunningHaproxy = {
      pid: daemons.haproxyPid,
      adminSocket: daemons.adminSocket,
      backend: daemons.backend,
      url: local.url,
      exporterAddress: daemons.exporterAddress,
      api: local.target.router.api,
      // Brings HAProxy back as a new process would (same config, ports, socket) but leaves the
      // re-registration of servers to the test, which calls provision() itself.
      restart: async () => {
        await stopPid(haproxy.pid);
        haproxy.pid = (await ensureEnvironmentDaemons(options)).haproxyPid;
      },
      stop: () => stopPid(haproxy.pid),
    };
    const prometheus: RunningPrometheus = {
      pid: daemons.prometheusPid,
      url: local.prometheusUrl,
      stop: () => stopPid(prometheus.pid),
    };
    const health = new PrometheusHealth({ url: local.prometheusUrl });
    return { engine, haproxy, prometheus, health, target: local.target, project, close };
  } catch (error) {
    await close();
    throw error;
  }
}
