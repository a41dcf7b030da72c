/**
 * Where a local environment keeps its state: `<dataDir>/environments/<project>--<environment>/`
 * with state.json (ports, PIDs, sockets), the rendered configs, Prometheus's TSDB and the logs.
 * Ports are chosen once and kept, so a restarted HAProxy comes back where clients and
 * Prometheus expect it. '--' never occurs inside a slug, so two (project, environment) pairs
 * never share a folder.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { slug } from '../../targets/docker/names.ts';

export const STATE_VERSION = 1;

export interface EnvironmentState {
  version: typeof STATE_VERSION;
  projectId: string;
  environment: string;
  createdAt: string;
  /** The Docker Engine the environment's containers run on, as a DOCKER_HOST value. */
  dockerHost: string;
  /** HAProxy backend whose servers are the deployed versions. */
  backend: string;
  adminSocket: string;
  ports: { frontend: number; exporter: number; prometheus: number };
  haproxy: { pid: number | null };
  prometheus: { pid: number | null };
}

export interface EnvironmentPaths {
  dir: string;
  state: string;
  lock: string;
  haproxyConfig: string;
  haproxyLog: string;
  prometheusConfig: string;
  prometheusData: string;
  prometheusLog: string;
}

/** Unix socket paths are limited to 107 bytes; leave room for HAProxy's temporary suffix. */
const MAX_SOCKET_PATH = 90;

export function environmentsRoot(dataDir: string): string {
  return join(dataDir, 'environments');
}

export function environmentDir(dataDir: string, projectId: string, environment: string): string {
  return join(environmentsRoot(dataDir), `${slug(projectId)}--${slug(environment)}`);
}

export function environmentPaths(dir: string): EnvironmentPaths {
  return {
    dir,
    state: join(dir, 'state.json'),
    lock: join(dir, 'lock'),
    haproxyConfig: join(dir, 'haproxy', 'haproxy.cfg'),
    haproxyLog: join(dir, 'haproxy', 'haproxy.log'),
    prometheusConfig: join(dir, 'prometheus', 'prometheus.yml'),
    prometheusData: join(dir, 'prometheus', 'data'),
    prometheusLog: join(dir, 'prometheus', 'prometheus.log'),
  };
}

/**
 * HAProxy's admin socket: inside the environment dir when the path fits a unix socket, else
 * under the temp dir, named by a hash of the environment dir so it stays the same every time.
 */
export function adminSocketPath(dir: string): string {
  const inside = join(dir, 'haproxy', 'admin.sock');
  if (inside.length <= MAX_SOCKET_PATH) return inside;
  const hash = createHash('sha256').update(dir).digest('hex').slice(0, 16);
  return join(tmpdir(), `prodsprint-haproxy-${hash}.sock`);
}

export function readState(dir: string): EnvironmentState | undefined {
  let text: string;
  try {
    text = readFileSync(environmentPaths(dir).state, 'utf8');
  } catch {
    return undefined;
  }
  const state = JSON.parse(text) as EnvironmentState;
  if (state.version !== STATE_VERSION) {
    throw new Error(`${environmentPaths(dir).state} has state version ${String(state.version)}`);
  }
  return state;
}

/** Written to a temporary file and renamed, so a crash never leaves half a state file. */
export function writeState(dir: string, state: EnvironmentState): void {
  mkdirSync(dir, { recursive: true });
  const path = environmentPaths(dir).state;
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporary, path);
}

/** Every environment dir under the data dir that has a state file. */
export function environmentDirs(dataDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(environmentsRoot(dataDir));
  } catch {
    return [];
  }
  return names.sort().map((name) => join(environmentsRoot(dataDir), name));
}
