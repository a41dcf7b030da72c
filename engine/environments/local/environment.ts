/**
 * The local environment of the docker target (issues 9 and 10): one HAProxy and one Prometheus
 * per project and environment on 127.0.0.1, kept running between processes, in front of a
 * DockerTarget. What `prodsprint release` and `prodsprint sprint` open to release locally.
 *
 * Opening is idempotent and serialised by a lock in the environment dir: a daemon that is alive
 * (its PID still runs the same program and config) and answering is reused; otherwise it is
 * started on the ports recorded in state.json, so clients and Prometheus find it where they
 * left it. A restarted HAProxy has lost its dynamic servers; provision() re-registers running
 * versions at weight 0 and the release, which persisted the split, decides their traffic.
 */
import Docker from 'dockerode';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { DockerTarget, type DockerTargetOptions } from '../../targets/docker/docker-target.ts';
import { listInstances, removeContainer, removeNetwork } from '../../targets/docker/containers.ts';
import { renderHaproxyConfig } from '../../targets/docker/haproxy/config.ts';
import { HaproxyRouter } from '../../targets/docker/haproxy/router.ts';
import { HaproxyRuntimeApi } from '../../targets/docker/haproxy/runtime-api.ts';
import { PrometheusHealth } from '../../targets/health/prometheus.ts';
import { renderPrometheusConfig } from '../../targets/health/prometheus-config.ts';
import { freePort, isDaemon, portInUse, stopPid } from '../../system/daemon.ts';
import { withFileLock } from '../../system/file-lock.ts';
import { stopBackingServices } from './backing-services.ts';
import { requireProgram } from './binaries.ts';
import {
  checkHaproxyConfig,
  checkPrometheusConfig,
  haproxyAnswers,
  launchHaproxy,
  launchPrometheus,
  prometheusReady,
} from './daemons.ts';
import { dockerHostOf, dockerOptionsForHost, usesTls } from './docker-engine.ts';
import { LocalEnvironmentError } from './errors.ts';
import {
  STATE_VERSION,
  adminSocketPath,
  environmentDir,
  environmentDirs,
  environmentPaths,
  readState,
  writeState,
} from './state.ts';
import type { EnvironmentPaths, EnvironmentState } from './state.ts';

/** The HAProxy backend whose servers are the deployed versions. */
export const BACKEND = 'be';
/** Fast enough for health gates measured over windows of seconds (RECIPES.md). */
const SCRAPE_INTERVAL_SECONDS = 1;
const PROMETHEUS_RETENTION = '1d';

export interface OpenLocalEnvironmentOptions {
  dataDir: string;
  /** The engine the app's containers run on (connectDockerEngine's `docker`). */
  docker: Docker;
  projectId: string;
  environment: string;
  /** Port the app listens on (and serves /metrics on) inside its containers. */
  appPort: number;
  /** Path HAProxy checks on every instance, e.g. /healthz. */
  healthPath: string;
  /** `tcp` for a service with no health route: HAProxy checks that the port accepts connections. */
  healthCheck?: 'http' | 'tcp';
  onProgress?: (message: string) => void;
  /** Where haproxy, prometheus and promtool are looked up (PATH); process.env unless told. */
  env?: NodeJS.ProcessEnv;
  /** What every version starts with, computed at deploy (DockerTargetOptions.runtime). */
  runtime?: DockerTargetOptions['runtime'];
}

export interface LocalEnvironment {
  target: DockerTarget;
  /** The HAProxy frontend clients use, http://127.0.0.1:PORT. */
  url: string;
  /** Prometheus's HTTP API, http://127.0.0.1:PORT. */
  prometheusUrl: string;
  /** Releases this handle; the daemons keep running for the next process. */
  close(): Promise<void>;
  /** Tears the target down (containers, network), stops this environment's daemons, deletes its state. */
  stop(): Promise<void>;
}

/** The daemons of one environment, as ensureEnvironmentDaemons left them. */
export interface EnvironmentDaemons {
  dir: string;
  state: EnvironmentState;
  url: string;
  prometheusUrl: string;
  adminSocket: string;
  backend: string;
  /** host:port of HAProxy's Prometheus exporter. */
  exporterAddress: string;
  haproxyPid: number;
  prometheusPid: number;
}

/** Starts or reuses the environment's daemons and returns its provisioned DockerTarget. */
export async function openLocalEnvironment(
  options: OpenLocalEnvironmentOptions,
): Promise<LocalEnvironment> {
  const dir = environmentDir(options.dataDir, options.projectId, options.environment);
  const paths = environmentPaths(dir);
  // Provision under the lock too: two processes adding the same HAProxy server would collide.
  const { daemons, target } = await withFileLock(paths.lock, async () => {
    const daemons = await ensureDaemonsLocked(options, paths);
    const target = targetFor(options.docker, daemons.state, options.appPort, options.runtime);
    await target.provision();
    return { daemons, target };
  });
  let stopped = false;
  return {
    target,
    url: daemons.url,
    prometheusUrl: daemons.prometheusUrl,
    // HAProxy's runtime API and Prometheus's HTTP API hold no connection between calls, and
    // the dockerode client belongs to the caller: there is nothing to release but the handle.
    close: async () => undefined,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await stopEnvironmentDir(dir, options.docker, options.env);
    },
  };
}

/**
 * Starts or reuses the environment's HAProxy and Prometheus without touching the target: what
 * openLocalEnvironment does before provisioning. Also what a test uses to bring a killed
 * HAProxy back exactly as a new process would, but without re-registering servers.
 */
export async function ensureEnvironmentDaemons(
  options: OpenLocalEnvironmentOptions & {
    /** Keep the daemons running after this process exits; true unless told. */
    detached?: boolean;
  },
): Promise<EnvironmentDaemons> {
  const paths = environmentPaths(
    environmentDir(options.dataDir, options.projectId, options.environment),
  );
  return withFileLock(paths.lock, () => ensureDaemonsLocked(options, paths));
}

async function ensureDaemonsLocked(
  options: OpenLocalEnvironmentOptions & { detached?: boolean },
  paths: EnvironmentPaths,
): Promise<EnvironmentDaemons> {
  const env = options.env ?? process.env;
  const progress = options.onProgress ?? (() => undefined);
  const previous = readState(paths.dir);
  if (
    previous &&
    (previous.projectId !== options.projectId || previous.environment !== options.environment)
  ) {
    throw new LocalEnvironmentError(
      `${paths.dir} belongs to ${previous.projectId}/${previous.environment}, not ${options.projectId}/${options.environment}`,
    );
  }
  if (usesTls(options.docker)) {
    // renderPrometheusConfig has no tls_config for docker_sd yet: discovery would fail closed.
    throw new LocalEnvironmentError(
      'the local environment cannot use a Docker Engine reached over TLS yet (Prometheus discovery has no TLS settings)',
      'use a local engine (unix socket or plain tcp://127.0.0.1)',
    );
  }
  const haproxy = requireProgram('haproxy', 'to route traffic between versions', env);
  const prometheus = requireProgram('prometheus', 'to measure release health', env);
  const promtool = requireProgram('promtool', 'to check the Prometheus config', env);
  const detached = options.detached ?? true;

  const state: EnvironmentState = previous ?? {
    version: STATE_VERSION,
    projectId: options.projectId,
    environment: options.environment,
    createdAt: new Date().toISOString(),
    dockerHost: dockerHostOf(options.docker),
    backend: BACKEND,
    adminSocket: adminSocketPath(paths.dir),
    ports: await distinctFreePorts(),
    haproxy: { pid: null },
    prometheus: { pid: null },
  };
  state.dockerHost = dockerHostOf(options.docker);
  writeState(paths.dir, state);

  const url = `http://127.0.0.1:${state.ports.frontend}`;
  const prometheusUrl = `http://127.0.0.1:${state.ports.prometheus}`;
  const exporterAddress = `127.0.0.1:${state.ports.exporter}`;

  // HAProxy: reuse when the same program runs the same config and answers.
  const haproxyConfig = renderHaproxyConfig({
    adminSocket: state.adminSocket,
    backend: state.backend,
    healthPath: options.healthPath,
    ...(options.healthCheck ? { healthCheck: options.healthCheck } : {}),
    frontend: { address: '127.0.0.1', port: state.ports.frontend },
    exporter: { address: '127.0.0.1', port: state.ports.exporter },
  });
  const api = new HaproxyRuntimeApi({ socketPath: state.adminSocket, timeoutMs: 2000 });
  const haproxyRuns =
    isDaemon(state.haproxy.pid ?? undefined, ['haproxy', paths.haproxyConfig]) &&
    (await haproxyAnswers(api));
  if (haproxyRuns && sameFile(paths.haproxyConfig, haproxyConfig)) {
    progress(`reusing HAProxy (pid ${state.haproxy.pid}) on ${url}`);
  } else {
    await stopRecorded(state.haproxy.pid, ['haproxy', paths.haproxyConfig]);
    writeFileIn(paths.haproxyConfig, haproxyConfig);
    await checkHaproxyConfig(haproxy, paths.haproxyConfig);
    await mustBeFree([state.ports.frontend, state.ports.exporter], paths);
    progress(`starting HAProxy on ${url}`);
    state.haproxy.pid = await launchHaproxy({
      binary: haproxy,
      configFile: paths.haproxyConfig,
      logFile: paths.haproxyLog,
      adminSocket: state.adminSocket,
      detached,
    });
    writeState(paths.dir, state);
  }

  // Prometheus: scrapes HAProxy's exporter and the project's containers on this engine.
  const prometheusConfig = renderPrometheusConfig({
    scrapeIntervalSeconds: SCRAPE_INTERVAL_SECONDS,
    haproxyExporter: exporterAddress,
    dockerHost: state.dockerHost,
    project: options.projectId,
    appPort: options.appPort,
  });
  const prometheusRuns =
    isDaemon(state.prometheus.pid ?? undefined, ['prometheus', paths.prometheusConfig]) &&
    (await prometheusReady(prometheusUrl));
  if (prometheusRuns && sameFile(paths.prometheusConfig, prometheusConfig)) {
    progress(`reusing Prometheus (pid ${state.prometheus.pid}) on ${prometheusUrl}`);
  } else {
    await stopRecorded(state.prometheus.pid, ['prometheus', paths.prometheusConfig]);
    writeFileIn(paths.prometheusConfig, prometheusConfig);
    await checkPrometheusConfig(promtool, paths.prometheusConfig);
    await mustBeFree([state.ports.prometheus], paths);
    progress(`starting Prometheus on ${prometheusUrl}`);
    state.prometheus.pid = await launchPrometheus({
      binary: prometheus,
      configFile: paths.prometheusConfig,
      logFile: paths.prometheusLog,
      port: state.ports.prometheus,
      storageDir: paths.prometheusData,
      retention: PROMETHEUS_RETENTION,
      detached,
    });
    writeState(paths.dir, state);
  }

  return {
    dir: paths.dir,
    state,
    url,
    prometheusUrl,
    adminSocket: state.adminSocket,
    backend: state.backend,
    exporterAddress,
    haproxyPid: state.haproxy.pid!,
    prometheusPid: state.prometheus.pid!,
  };
}

/** One environment as listLocalEnvironments sees it (from its state file and PIDs, no probes). */
export interface LocalEnvironmentInfo {
  projectId: string;
  environment: string;
  dir: string;
  createdAt: string;
  dockerHost: string;
  url: string;
  prometheusUrl: string;
  haproxy: { pid: number | null; running: boolean };
  prometheus: { pid: number | null; running: boolean };
}

export async function listLocalEnvironments(dataDir: string): Promise<LocalEnvironmentInfo[]> {
  const found: LocalEnvironmentInfo[] = [];
  for (const dir of environmentDirs(dataDir)) {
    const state = readStateSafe(dir);
    if (!state) continue;
    const paths = environmentPaths(dir);
    found.push({
      projectId: state.projectId,
      environment: state.environment,
      dir,
      createdAt: state.createdAt,
      dockerHost: state.dockerHost,
      url: `http://127.0.0.1:${state.ports.frontend}`,
      prometheusUrl: `http://127.0.0.1:${state.ports.prometheus}`,
      haproxy: {
        pid: state.haproxy.pid,
        running: isDaemon(state.haproxy.pid ?? undefined, ['haproxy', paths.haproxyConfig]),
      },
      prometheus: {
        pid: state.prometheus.pid,
        running: isDaemon(state.prometheus.pid ?? undefined, [
          'prometheus',
          paths.prometheusConfig,
        ]),
      },
    });
  }
  return found;
}

export interface StopLocalEnvironmentReport {
  /** False when there was no such environment (nothing done). */
  found: boolean;
  /** PIDs of the daemons that were running and were stopped. */
  stoppedPids: number[];
  /** Containers of the environment removed from the engine. */
  removedContainers: number;
  /** Volumes of the environment's backing services deleted (only when asked to delete data). */
  removedVolumes: string[];
  /** What could not be done, e.g. the engine did not answer; empty when all went well. */
  warnings: string[];
}

/**
 * Stops an environment from its state alone (a CLI has no handle): removes its containers and
 * network on the engine recorded in state.json (or `options.docker`), stops its daemons and
 * deletes its dir.
 */
export async function stopLocalEnvironment(
  dataDir: string,
  projectId: string,
  environment: string,
  options: { docker?: Docker; env?: NodeJS.ProcessEnv; deleteData?: boolean } = {},
): Promise<StopLocalEnvironmentReport> {
  return stopEnvironmentDir(
    environmentDir(dataDir, projectId, environment),
    options.docker,
    options.env,
    { dataDir, deleteData: options.deleteData ?? false },
  );
}

async function stopEnvironmentDir(
  dir: string,
  docker: Docker | undefined,
  env: NodeJS.ProcessEnv = process.env,
  data?: { dataDir: string; deleteData: boolean },
): Promise<StopLocalEnvironmentReport> {
  const paths = environmentPaths(dir);
  if (!existsSync(paths.state)) {
    return {
      found: false,
      stoppedPids: [],
      removedContainers: 0,
      removedVolumes: [],
      warnings: [],
    };
  }
  return withFileLock(paths.lock, async () => {
    const report: StopLocalEnvironmentReport = {
      found: true,
      stoppedPids: [],
      removedContainers: 0,
      removedVolumes: [],
      warnings: [],
    };
    const state = readStateSafe(dir);
    if (state) {
      const engine = docker ?? new Docker(dockerOptionsForHost(state.dockerHost, env));
      // The backing services first: the target's teardown leaves the network while they use it.
      // Their data volumes stay unless deleting the data was asked for.
      try {
        const backing = await stopBackingServices(
          data?.dataDir ?? '',
          state.projectId,
          state.environment,
          engine,
          { removeVolumes: data?.deleteData ?? false },
        );
        report.removedContainers += backing.removedContainers.length;
        report.removedVolumes = backing.removedVolumes;
      } catch (error) {
        report.warnings.push(`backing services not removed: ${(error as Error).message}`);
      }
      try {
        report.removedContainers += await removeContainers(engine, state, paths);
      } catch (error) {
        report.warnings.push(`containers not removed: ${(error as Error).message}`);
      }
      for (const [pid, words] of [
        [state.haproxy.pid, ['haproxy', paths.haproxyConfig]],
        [state.prometheus.pid, ['prometheus', paths.prometheusConfig]],
      ] as const) {
        if (pid !== null && isDaemon(pid, [...words])) {
          await stopPid(pid);
          report.stoppedPids.push(pid);
        }
      }
      if (!state.adminSocket.startsWith(`${dir}/`)) rmSync(state.adminSocket, { force: true });
    } else {
      report.warnings.push(`${paths.state} is unreadable: daemons, if any, were left running`);
    }
    // Everything but the lock, which withFileLock removes on the way out.
    for (const name of readdirSync(dir)) {
      if (name !== 'lock') rmSync(join(dir, name), { recursive: true, force: true });
    }
    return report;
  }).finally(() => {
    // Only when empty: a process that opened the environment again meanwhile keeps its state.
    try {
      rmdirSync(dir);
    } catch {
      // not empty, or already gone
    }
  });
}

/**
 * Drains and removes through HAProxy when it answers (no client sees a dropped request), or
 * straight from the engine when it does not; counts what it removed.
 */
async function removeContainers(
  docker: Docker,
  state: EnvironmentState,
  paths: EnvironmentPaths,
): Promise<number> {
  const target = targetFor(docker, state, 0);
  const count = (await listInstances(docker, target.scope)).length;
  const api = new HaproxyRuntimeApi({ socketPath: state.adminSocket, timeoutMs: 2000 });
  if (
    isDaemon(state.haproxy.pid ?? undefined, ['haproxy', paths.haproxyConfig]) &&
    (await haproxyAnswers(api))
  ) {
    await target.teardown();
  } else {
    for (const instance of await listInstances(docker, target.scope))
      await removeContainer(docker, instance.id);
    await removeNetwork(docker, target.scope, target.networkName);
  }
  return count;
}

function targetFor(
  docker: Docker,
  state: EnvironmentState,
  appPort: number,
  runtime?: OpenLocalEnvironmentOptions['runtime'],
): DockerTarget {
  const api = new HaproxyRuntimeApi({ socketPath: state.adminSocket });
  return new DockerTarget({
    docker,
    project: state.projectId,
    environment: state.environment,
    router: new HaproxyRouter({ api, backend: state.backend }),
    health: new PrometheusHealth({ url: `http://127.0.0.1:${state.ports.prometheus}` }),
    appPort,
    ...(runtime ? { runtime } : {}),
  });
}

/** Three different free ports (the kernel may hand the same one out twice in a row). */
async function distinctFreePorts(): Promise<EnvironmentState['ports']> {
  const ports = new Set<number>();
  while (ports.size < 3) ports.add(await freePort());
  const [frontend, exporter, prometheus] = [...ports] as [number, number, number];
  return { frontend, exporter, prometheus };
}

/** Stops a recorded daemon that still runs (but no longer answers, or has another config). */
async function stopRecorded(pid: number | null, words: string[]): Promise<void> {
  if (pid !== null && isDaemon(pid, words)) await stopPid(pid);
}

async function mustBeFree(ports: number[], paths: EnvironmentPaths): Promise<void> {
  for (const port of ports) {
    if (await portInUse(port)) {
      throw new LocalEnvironmentError(
        `port ${port} of the environment in ${paths.dir} is taken by another program`,
        'stop that program, or stop the environment (its ports are chosen anew next time)',
      );
    }
  }
}

function sameFile(path: string, text: string): boolean {
  try {
    return readFileSync(path, 'utf8') === text;
  } catch {
    return false;
  }
}

function writeFileIn(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

function readStateSafe(dir: string): EnvironmentState | undefined {
  try {
    return readState(dir);
  } catch {
    return undefined;
  }
}
