/**
 * The traffic router of the docker target: one HAProxy backend whose servers are the deployed
 * versions, added and removed as dynamic servers and weighted through the runtime API. Every
 * weight change is read back; a router that did not apply it is an error, never assumed done.
 */
import { RouterError } from '../../errors.ts';
import { serverOptions } from './config.ts';
import type { HaproxyRuntimeApi } from './runtime-api.ts';
import { parseServersState, parseStatCsv } from './state.ts';
import type { ServerState } from './state.ts';

export interface HaproxyRouterOptions {
  api: HaproxyRuntimeApi;
  backend: string;
  /** How long a new server may take to pass its first health check. */
  readyTimeoutMs?: number;
  /** How long a removed server may take to finish its in-flight requests. */
  drainTimeoutMs?: number;
}

export class HaproxyRouter {
  readonly api: HaproxyRuntimeApi;
  readonly backend: string;
  readonly readyTimeoutMs: number;
  readonly drainTimeoutMs: number;

  constructor(options: HaproxyRouterOptions) {
    this.api = options.api;
    this.backend = options.backend;
    this.readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
    this.drainTimeoutMs = options.drainTimeoutMs ?? 30_000;
  }

  /** Servers of the backend as HAProxy sees them now. */
  async servers(): Promise<ServerState[]> {
    return parseServersState(await this.api.execute(`show servers state ${this.backend}`));
  }

  /** Current weight of every server. */
  async weights(): Promise<Record<string, number>> {
    return Object.fromEntries((await this.servers()).map((s) => [s.name, s.weight]));
  }

  /**
   * Adds `name` at weight 0 (or re-points it) and waits until its health check passes. A
   * new server starts optimistically "up" in HAProxy, so readiness is a passing check status:
   * L7OK for an HTTP health route, L4OK for the TCP check of a service without one.
   */
  async ensureServer(name: string, address: string, port: number): Promise<void> {
    const existing = (await this.servers()).find((s) => s.name === name);
    const target = `${this.backend}/${name}`;
    if (!existing) {
      await this.api.expect(`add server ${target} ${address}:${port} weight 0 ${serverOptions()}`, [
        'New server registered',
      ]);
      await this.api.expect(`enable health ${target}`);
    } else if (existing.address !== address || existing.port !== port) {
      await this.api.expect(`set server ${target} addr ${address} port ${port}`, [
        'IP changed',
        'no need to change',
        'port changed',
      ]);
    }
    await this.api.expect(`enable server ${target}`);
    await this.until(
      async () => passedCheck((await this.stat(name))?.check_status),
      this.readyTimeoutMs,
      () => `server ${target} did not pass its health check within ${this.readyTimeoutMs} ms`,
    );
  }

  /**
   * Applies weights (0-256) and verifies them by reading back. Raises go first, so the backend
   * never passes through a state where every server has weight 0 (a 503 for everyone).
   */
  async setWeights(weights: Record<string, number>): Promise<Record<string, number>> {
    const before = await this.weights();
    for (const name of Object.keys(weights)) {
      if (!(name in before)) throw new RouterError(`no server ${this.backend}/${name} to weight`);
    }
    const changes = Object.entries(weights).filter(([name, weight]) => before[name] !== weight);
    changes.sort(([, a], [, b]) => b - a);
    for (const [name, weight] of changes) {
      if (!Number.isInteger(weight) || weight < 0 || weight > 256) {
        throw new RouterError(`weight of ${name} must be an integer 0-256, got ${weight}`);
      }
      await this.api.expect(`set weight ${this.backend}/${name} ${weight}`);
    }
    const after = await this.weights();
    const wrong = Object.entries(weights).filter(([name, weight]) => after[name] !== weight);
    if (wrong.length > 0) {
      throw new RouterError(
        `HAProxy did not apply weights: ${wrong.map(([n, w]) => `${n} wanted ${w}, has ${after[n]}`).join('; ')}`,
      );
    }
    return Object.fromEntries(Object.keys(weights).map((name) => [name, after[name] ?? 0]));
  }

  /** Takes `name` out of rotation, waits for its in-flight requests, then deletes it. */
  async removeServer(name: string): Promise<void> {
    if (!(await this.servers()).some((s) => s.name === name)) return;
    const target = `${this.backend}/${name}`;
    await this.api.expect(`set weight ${target} 0`);
    await this.api.expect(`disable server ${target}`);
    await this.until(
      async () => Number((await this.stat(name))?.scur ?? 0) === 0,
      this.drainTimeoutMs,
      () => `server ${target} still had sessions after ${this.drainTimeoutMs} ms`,
    );
    await this.api.expect(`del server ${target}`, ['Server deleted']);
  }

  private async stat(name: string): Promise<Record<string, string> | undefined> {
    const rows = parseStatCsv(await this.api.execute('show stat'));
    return rows.find((row) => row.pxname === this.backend && row.svname === name);
  }

  private async until(probe: () => Promise<boolean>, timeoutMs: number, describe: () => string) {
    const deadline = Date.now() + timeoutMs;
    while (!(await probe())) {
      if (Date.now() > deadline) throw new RouterError(describe());
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** HAProxy's check statuses that mean passed: L4OK (TCP), L6OK (TLS), L7OK (HTTP). */
function passedCheck(status: string | undefined): boolean {
  return status !== undefined && /^L[467]OK/.test(status);
}
