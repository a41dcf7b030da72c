/**
 * Launching HAProxy and Prometheus the way RECIPES.md does, shared by the local environment and
 * the test fixtures: configs are checked by the programs' own validators before use, and a start
 * counts only once the daemon answers (HAProxy's admin socket, Prometheus's /-/ready).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { HaproxyRuntimeApi } from '../../targets/docker/haproxy/runtime-api.ts';
import { isDaemon, logTail, spawnDaemon, stopPid, waitUntil } from '../../system/daemon.ts';
import { LocalEnvironmentError } from './errors.ts';

const run = promisify(execFile);

/** `haproxy -c`: throws with HAProxy's own explanation when it rejects the file. */
export async function checkHaproxyConfig(haproxy: string, configFile: string): Promise<void> {
  await run(haproxy, ['-c', '-q', '-f', configFile]).catch(
    (error: Error & { stdout?: string; stderr?: string }) => {
      throw new LocalEnvironmentError(
        `haproxy rejected ${configFile}: ${`${error.stdout ?? ''}${error.stderr ?? ''}`.trim() || error.message}`,
      );
    },
  );
}

/** `promtool check config`: throws with promtool's explanation when it rejects the file. */
export async function checkPrometheusConfig(promtool: string, configFile: string): Promise<void> {
  await run(promtool, ['check', 'config', configFile]).catch(
    (error: Error & { stdout?: string; stderr?: string }) => {
      throw new LocalEnvironmentError(
        `promtool rejected ${configFile}: ${`${error.stdout ?? ''}${error.stderr ?? ''}`.trim() || error.message}`,
      );
    },
  );
}

export interface LaunchOptions {
  /** Absolute path of the program. */
  binary: string;
  configFile: string;
  logFile: string;
  /** Keep running after this process exits (the product's environments do). */
  detached: boolean;
}

/** Whether HAProxy answers on its admin socket. */
export async function haproxyAnswers(api: HaproxyRuntimeApi): Promise<boolean> {
  return (await api.execute('show info').catch(() => '')).includes('Name: HAProxy');
}

/** `haproxy -W -f cfg` (master-worker); resolves with the master's PID once the socket answers. */
export async function launchHaproxy(
  options: LaunchOptions & { adminSocket: string },
): Promise<number> {
  const daemon = spawnDaemon(options.binary, ['-W', '-f', options.configFile], options);
  const api = new HaproxyRuntimeApi({ socketPath: options.adminSocket, timeoutMs: 2000 });
  await waitUntil(
    async () => isDaemon(daemon.pid, ['haproxy']) && (await haproxyAnswers(api)),
    10_000,
    () => '',
    50,
  ).catch(async () => {
    await stopPid(daemon.pid);
    throw new LocalEnvironmentError(
      `haproxy did not open ${options.adminSocket} within 10 s; its log (${options.logFile}) ends with:\n${logTail(options.logFile)}`,
      'a port of the environment may be taken by another program: stop it, or stop the environment to choose new ports',
    );
  });
  return daemon.pid;
}

/** Whether Prometheus at `url` says it is ready. */
export async function prometheusReady(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

/** Prometheus on 127.0.0.1:`port` only; resolves with its PID once /-/ready answers. */
export async function launchPrometheus(
  options: LaunchOptions & { port: number; storageDir: string; retention: string },
): Promise<number> {
  const url = `http://127.0.0.1:${options.port}`;
  const daemon = spawnDaemon(
    options.binary,
    [
      `--config.file=${options.configFile}`,
      `--storage.tsdb.path=${options.storageDir}`,
      `--web.listen-address=127.0.0.1:${options.port}`,
      `--storage.tsdb.retention.time=${options.retention}`,
    ],
    options,
  );
  await waitUntil(
    async () => isDaemon(daemon.pid, ['prometheus']) && (await prometheusReady(url)),
    30_000,
    () => '',
  ).catch(async () => {
    await stopPid(daemon.pid);
    throw new LocalEnvironmentError(
      `prometheus did not become ready on ${url} within 30 s; its log (${options.logFile}) ends with:\n${logTail(options.logFile)}`,
      'a port of the environment may be taken by another program: stop it, or stop the environment to choose new ports',
    );
  });
  return daemon.pid;
}
