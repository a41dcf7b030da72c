/**
 * The apply run's perf stage on the local Docker Engine (issues 10 and 14): the built image run
 * once, throwaway, with what it needs to start — the backing services its code reads (started
 * like the tests', on an internal network) and its variables (template samples, secrets made
 * for this run only) — then loaded on its probe path with k6 when the machine has it, else
 * autocannon. A service that never becomes healthy fails the stage with the last lines it
 * printed, which is usually the reason (a variable it requires, a database it cannot reach).
 */
import type Docker from 'dockerode';
import { healthCheckOf } from '../../agents/pipeline/apply-input.ts';
import type { BuildResult, PerfResult, StepContext } from '../../agents/pipeline/toolkit.ts';
import { chooseLoadGenerator, loadRouteWith } from '../../agents/perf/index.ts';
import type { Fingerprint, Service } from '../../agents/repo-auditor/index.ts';
import { ephemeralSecrets } from '../../environments/local/environment-secrets.ts';
import type { Redactor } from '../../secrets/redact.ts';
import { waitUntil } from '../../system/daemon.ts';
import {
  ensureNetwork,
  ensureVersionContainer,
  listInstances,
  removeContainer,
} from '../../targets/docker/containers.ts';
import {
  failingStatusFrom,
  isHealthyStatus,
  probePath,
  type HealthCheck,
} from '../../targets/health-check.ts';
import { unframeDockerLogs } from '../../tools/docker-logs.ts';
import { startTestDatastores } from '../test-datastores.ts';
import { portQuestionId, slugOf } from '../../agents/blueprint/service-view.ts';
import { BlockedStageError } from '../../runs/index.ts';
import { serviceEnvironment } from './service-environment.ts';

export interface PerfStageDeps {
  docker: () => Promise<Docker>;
  redactor: Redactor;
  repoDir: string;
  service: Service;
  fingerprint: Fingerprint;
}

const STARTUP_MS = 60_000;

export async function runPerfStage(
  step: StepContext,
  build: BuildResult,
  deps: PerfStageDeps,
): Promise<PerfResult> {
  const docker = await deps.docker();
  const scope = { project: step.projectId, environment: `perf-${step.runId.slice(-8)}` };
  const datastores = await startTestDatastores({
    docker,
    service: deps.service,
    fingerprint: deps.fingerprint,
    repoDir: deps.repoDir,
    redactor: deps.redactor,
    signal: step.signal,
    progress: (line) => step.progress(line),
  });
  const network = datastores.network ?? `ps-perf-${step.runId.slice(-8)}`;
  try {
    if (!datastores.network) await ensureNetwork(docker, scope, network);
    const secrets = ephemeralSecrets(deps.redactor);
    const { env } = serviceEnvironment({
      service: deps.service,
      repoDir: deps.repoDir,
      port: step.input.service.port,
      backing: datastores.env ?? {},
      secret: (name) => secrets.get(name),
      environment: 'the perf run',
    });
    const placed = await ensureVersionContainer(docker, {
      scope,
      spec: {
        version: step.input.version,
        image: build.image,
        env,
        ...(datastores.files ? { files: datastores.files } : {}),
      },
      replica: 0,
      port: step.input.service.port,
      network,
    });
    const baseUrl = `http://${placed.address}:${step.input.service.port}`;
    const health = healthCheckOf(step.input.service);
    await waitHealthy(baseUrl, health, docker.getContainer(placed.id), step.signal).catch(
      async (error: unknown) => {
        const tail = await logTail(docker, placed.id, deps.redactor);
        const reason = `${(error as Error).message}${tail ? `; its last output:\n${tail}` : ''}`;
        if (deps.service.port) throw new Error(reason);
        // The repository states no port: this one is the plan's answer, maybe only its default.
        const question = portQuestionId(slugOf(deps.service.name));
        throw new BlockedStageError(
          `${reason}; port ${step.input.service.port} is the plan's answer to ${question}, not a port the repository states`,
          `if ${deps.service.name} listens on another port, run the sprint again with \`--answer ${question}=<port>\` (\`prodsprint plan\` takes it too), or add EXPOSE <port> to its Dockerfile`,
        );
      },
    );
    return await load(step, baseUrl, health);
  } finally {
    for (const instance of await listInstances(docker, scope))
      await removeContainer(docker, instance.id);
    if (!datastores.network)
      await docker
        .getNetwork(network)
        .remove()
        .catch(() => undefined);
    await datastores.stop();
  }
}

async function load(step: StepContext, baseUrl: string, health: HealthCheck): Promise<PerfResult> {
  const routes = [probePath(health)];
  // k6 when the machine has it (the plan's scripts are k6); otherwise autocannon, said so.
  const generator = chooseLoadGenerator();
  if (generator.kind === 'autocannon') step.progress(generator.reason);
  const results = [];
  for (const path of routes) {
    step.progress(`load on ${path} for ${step.input.perfLoad.durationSeconds} s`);
    results.push(
      await loadRouteWith(generator, {
        baseUrl,
        path,
        durationSeconds: step.input.perfLoad.durationSeconds,
        connections: step.input.perfLoad.connections,
        failingStatusFrom: failingStatusFrom(health),
        signal: step.signal,
      }),
    );
  }
  const measured = results.filter((r) => r.requests > 0);
  return {
    generator: results[0]?.generator ?? 'autocannon',
    routes: results.map((r) => ({
      route: r.route,
      requests: r.requests,
      p95Ms: r.p95Ms,
      errorRate: r.errorRate,
    })),
    p95Ms: measured.length ? Math.max(...measured.map((r) => r.p95Ms)) : null,
    errorRate: measured.length ? Math.max(...measured.map((r) => r.errorRate)) : null,
  };
}

/**
 * Until the service answers its probe path as its health check wants (2xx, or < 500); a
 * container that exits meanwhile ends the wait at once (it will not answer later).
 */
async function waitHealthy(
  baseUrl: string,
  health: HealthCheck,
  container: Docker.Container,
  signal: AbortSignal,
) {
  const url = new URL(probePath(health), baseUrl).toString();
  const exited = new AbortController();
  let last = 'no answer';
  await waitUntil(
    async () => {
      const state = (await container.inspect().catch(() => undefined))?.State;
      if (state && !state.Running) {
        last = `the service exited with code ${state.ExitCode}`;
        exited.abort();
        return false;
      }
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
        await response.arrayBuffer();
        const healthy = isHealthyStatus(health, response.status);
        if (!healthy) last = `HTTP ${response.status}`;
        return healthy;
      } catch (error) {
        last = (error as Error).message;
        return false;
      }
    },
    STARTUP_MS,
    () => `${url} did not become healthy within ${STARTUP_MS / 1000} s (${last})`,
    250,
    AbortSignal.any([signal, exited.signal]),
  );
}

/** The last lines a container printed, redacted (the reason a service did not start). */
async function logTail(docker: Docker, id: string, redactor: Redactor): Promise<string> {
  try {
    const raw = (await docker
      .getContainer(id)
      .logs({ stdout: true, stderr: true, tail: 12 })) as unknown as Buffer;
    return redactor.redact(unframeDockerLogs(raw).trimEnd());
  } catch {
    return '';
  }
}
