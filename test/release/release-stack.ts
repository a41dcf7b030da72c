/**
 * Everything a release test or bench needs, real and on 127.0.0.1: a Docker Engine, the sample
 * app's images, HAProxy, Prometheus scraping both, and a DockerTarget wired to them. close()
 * removes the target's containers and network and stops only the daemons this stack started.
 */
import { randomBytes } from 'node:crypto';
import { DockerTarget } from '../../engine/targets/docker/docker-target.ts';
import { HaproxyRouter } from '../../engine/targets/docker/haproxy/router.ts';
import { PrometheusHealth } from '../../engine/targets/health/prometheus.ts';
import { ensureSampleAppImages } from '../fixtures/sample-app/image.ts';
import { acquireDockerEngine } from '../support/infra/docker-engine.ts';
import type { DockerEngine } from '../support/infra/docker-engine.ts';
import { startHaproxy } from '../support/infra/haproxy.ts';
import type { RunningHaproxy } from '../support/infra/haproxy.ts';
import { startPrometheus } from '../support/infra/prometheus.ts';
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
    const haproxy = await startHaproxy();
    cleanups.push(() => haproxy.stop());
    const prometheus = await startPrometheus({
      scrapeIntervalSeconds: 1,
      haproxyExporter: haproxy.exporterAddress,
      dockerHost: `unix://${engine.socketPath}`,
      project,
      appPort: APP_PORT,
    });
    cleanups.push(() => prometheus.stop());
    const health = new PrometheusHealth({ url: prometheus.url });
    const router = new HaproxyRouter({ api: haproxy.api, backend: haproxy.backend });
    const target = new DockerTarget({
      docker: engine.docker,
      project,
      environment: 'prod',
      router,
      health,
      appPort: APP_PORT,
    });
    cleanups.push(() => target.teardown());
    await target.provision();
    return { engine, haproxy, prometheus, health, target, project, close };
  } catch (error) {
    await close();
    throw error;
  }
}
