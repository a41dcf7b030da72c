/**
 * Connects to the Docker Engine releases run on, starting ProdSprint's own dockerd when none is
 * running and that is allowed (README: "local Docker Engine started if needed"). Order:
 *   1. DOCKER_HOST (unix:// or tcp://, TLS from DOCKER_TLS_VERIFY / DOCKER_CERT_PATH): explicit,
 *      so it must answer; nothing is started in its place.
 *   2. PRODSPRINT_DOCKER_SOCKET: the same, for a socket path.
 *   3. The system daemon at /var/run/docker.sock, when it answers.
 *   4. ProdSprint's shared dockerd (dockerd.ts), reused when it answers, else started when
 *      `startIfNeeded` and this process can (root, dockerd installed).
 * Anything else is an error that says what to do.
 */
import Docker from 'dockerode';
import type { DockerOptions } from 'dockerode';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { findProgram } from './binaries.ts';
import {
  adoptDockerd,
  dockerdPaths,
  ensureDockerd,
  localDockerDir,
  readDockerdOwner,
  socketAnswers,
} from './dockerd.ts';
import type { DockerdStarter } from './dockerd.ts';
import { LocalEnvironmentError } from './errors.ts';

export const SYSTEM_DOCKER_SOCKET = '/var/run/docker.sock';

export interface ConnectDockerEngineOptions {
  /**
   * The product's data dir. Accepted for symmetry with the other calls; the daemon's own state
   * is machine-wide (dockerd.ts explains why), in PRODSPRINT_DOCKER_DIR or /var/lib/prodsprint.
   */
  dataDir?: string;
  /** Where DOCKER_HOST and friends are read; process.env unless told. */
  env?: NodeJS.ProcessEnv;
  /** Start ProdSprint's dockerd when no engine answers. */
  startIfNeeded: boolean;
  onProgress?: (message: string) => void;
  /** Recorded as the owner of a daemon started here; test fixtures pass 'test'. */
  startedBy?: DockerdStarter;
}

/** Where the connection came from, in the order connectDockerEngine tries them. */
export type DockerEngineSource =
  'DOCKER_HOST' | 'PRODSPRINT_DOCKER_SOCKET' | 'system' | 'prodsprint';

export interface DockerEngineConnection {
  docker: Docker;
  /** The unix socket, or '' when connected over TCP. */
  socketPath: string;
  /** The engine as a DOCKER_HOST value (unix:///… or tcp://…), e.g. for Prometheus discovery. */
  host: string;
  source: DockerEngineSource;
  /** True when this call started dockerd (it keeps running after this process). */
  started: boolean;
  /** One line for humans: which engine, and how it was found. */
  describe: string;
}

export async function connectDockerEngine(
  options: ConnectDockerEngineOptions,
): Promise<DockerEngineConnection> {
  const env = options.env ?? process.env;
  if (env.DOCKER_HOST) {
    const host = env.DOCKER_HOST;
    const dockerOptions = dockerOptionsForHost(host, env);
    const docker = new Docker(dockerOptions);
    await mustAnswer(dockerOptions, `DOCKER_HOST=${host}`);
    const tls = dockerOptions.protocol === 'https' ? ' over TLS' : '';
    return connection(
      docker,
      host,
      'DOCKER_HOST',
      false,
      `Docker Engine at ${host}${tls} (DOCKER_HOST)`,
    );
  }
  if (env.PRODSPRINT_DOCKER_SOCKET) {
    const socketPath = env.PRODSPRINT_DOCKER_SOCKET;
    const docker = new Docker(socketOptions(socketPath));
    await mustAnswer(socketOptions(socketPath), `PRODSPRINT_DOCKER_SOCKET=${socketPath}`);
    return connection(
      docker,
      `unix://${socketPath}`,
      'PRODSPRINT_DOCKER_SOCKET',
      false,
      `Docker Engine at unix://${socketPath} (PRODSPRINT_DOCKER_SOCKET)`,
    );
  }
  if (await socketAnswers(SYSTEM_DOCKER_SOCKET)) {
    return connection(
      new Docker(socketOptions(SYSTEM_DOCKER_SOCKET)),
      `unix://${SYSTEM_DOCKER_SOCKET}`,
      'system',
      false,
      `the system Docker Engine at unix://${SYSTEM_DOCKER_SOCKET}`,
    );
  }
  const dir = localDockerDir(env);
  const paths = dockerdPaths(dir);
  const own = (started: boolean, pid: number | undefined) =>
    connection(
      new Docker(socketOptions(paths.socket)),
      `unix://${paths.socket}`,
      'prodsprint',
      started,
      `${started ? 'started' : 'reused'} ProdSprint's dockerd${pid ? ` (pid ${pid})` : ''} at unix://${paths.socket}, data root ${paths.dataRoot}`,
    );
  const cannotStart = whyCannotStart(options.startIfNeeded, env);
  if (cannotStart) {
    if (await socketAnswers(paths.socket)) {
      if ((options.startedBy ?? 'product') === 'product') await adoptDockerd(dir);
      return own(false, readDockerdOwner(dir)?.pid);
    }
    throw new LocalEnvironmentError(
      `no Docker Engine answers (DOCKER_HOST unset, nothing on ${SYSTEM_DOCKER_SOCKET} or ${paths.socket}) and ${cannotStart.reason}`,
      cannotStart.remediation,
    );
  }
  const dockerd = findProgram('dockerd', env)!;
  const result = await ensureDockerd({
    dir,
    dockerd,
    startedBy: options.startedBy ?? 'product',
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return own(result.started, result.pid);
}

/** Why this process may not start dockerd, or undefined when it may. */
export function whyCannotStart(
  startIfNeeded: boolean,
  env: NodeJS.ProcessEnv,
): { reason: string; remediation: string } | undefined {
  const manual =
    'start a Docker Engine (`dockerd &` as root) or point DOCKER_HOST at one (unix:///path/docker.sock or tcp://host:2376 with DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=dir)';
  if (!startIfNeeded) return { reason: 'starting one was not allowed', remediation: manual };
  if (!findProgram('dockerd', env)) {
    return {
      reason: 'dockerd is not installed',
      remediation: `install the Debian package docker.io (apt-get install -y docker.io), or ${manual}`,
    };
  }
  if (process.getuid?.() !== 0) {
    return { reason: 'starting dockerd needs root', remediation: `run as root, or ${manual}` };
  }
  return undefined;
}

/**
 * dockerode options for a DOCKER_HOST value, with the Docker CLI's TLS conventions: TLS when
 * DOCKER_TLS_VERIFY or DOCKER_CERT_PATH is set, certificates (ca.pem, cert.pem, key.pem) from
 * DOCKER_CERT_PATH, else ~/.docker. The server is always verified against ca.pem: stricter than
 * the CLI without DOCKER_TLS_VERIFY, because an unverified engine could be anyone's.
 */
export function dockerOptionsForHost(
  host: string,
  env: NodeJS.ProcessEnv,
  read: (path: string) => Buffer = (path) => readFileSync(path),
): DockerOptions {
  if (host.startsWith('unix://')) return socketOptions(host.slice('unix://'.length));
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw invalidHost(host);
  }
  if (url.protocol !== 'tcp:' || !url.hostname) throw invalidHost(host);
  const verify = Boolean(env.DOCKER_TLS_VERIFY) && env.DOCKER_TLS_VERIFY !== '0';
  const tls = verify || Boolean(env.DOCKER_CERT_PATH);
  const port = Number(url.port || (tls ? 2376 : 2375));
  if (!tls) return { protocol: 'http', host: url.hostname, port };
  const certDir = env.DOCKER_CERT_PATH || join(env.HOME || homedir(), '.docker');
  const pem = (name: string) => {
    try {
      return read(join(certDir, name));
    } catch (error) {
      throw new LocalEnvironmentError(
        `DOCKER_HOST=${host} uses TLS but ${join(certDir, name)} cannot be read: ${(error as Error).message}`,
        'put ca.pem, cert.pem and key.pem in DOCKER_CERT_PATH (or ~/.docker)',
      );
    }
  };
  return {
    protocol: 'https',
    host: url.hostname,
    port,
    ca: pem('ca.pem'),
    cert: pem('cert.pem'),
    key: pem('key.pem'),
  };
}

/**
 * The DOCKER_HOST value a dockerode client talks to (unix:///… or tcp://…). Prometheus's docker
 * service discovery needs it to find the app's containers.
 */
export function dockerHostOf(docker: Docker): string {
  const modem = docker.modem as { socketPath?: string; host?: string; port?: number | string };
  if (modem.host) return `tcp://${modem.host}:${modem.port ?? 2375}`;
  return `unix://${modem.socketPath ?? SYSTEM_DOCKER_SOCKET}`;
}

/** Whether a dockerode client talks TLS (its modem has client certificates). */
export function usesTls(docker: Docker): boolean {
  return (docker.modem as { protocol?: string }).protocol === 'https';
}

// dockerode merges DOCKER_HOST from process.env into its defaults, where a host wins over a
// socket path: clear it, so a socket we chose is the socket used.
function socketOptions(socketPath: string): DockerOptions {
  return { socketPath, host: undefined, port: undefined, protocol: 'http' } as DockerOptions;
}

function invalidHost(host: string): LocalEnvironmentError {
  return new LocalEnvironmentError(
    `DOCKER_HOST=${host} is not supported here`,
    'use unix:///path/to/docker.sock or tcp://host:port (TLS with DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH)',
  );
}

// The ping gets its own client with a time limit; the caller's client has none, because builds
// and log streams legitimately take minutes.
async function mustAnswer(options: DockerOptions, what: string): Promise<void> {
  try {
    await new Docker({ ...options, timeout: 5000 }).ping();
  } catch (error) {
    throw new LocalEnvironmentError(
      `the Docker Engine at ${what} does not answer: ${(error as Error).message}`,
      'start that engine, or unset the variable to let ProdSprint find or start a local one',
    );
  }
}

function connection(
  docker: Docker,
  host: string,
  source: DockerEngineSource,
  started: boolean,
  describe: string,
): DockerEngineConnection {
  const socketPath = host.startsWith('unix://') ? host.slice('unix://'.length) : '';
  return { docker, socketPath, host, source, started, describe };
}
