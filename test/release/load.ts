/**
 * HTTP load for release tests, always bounded in count and time. Connection errors (the request
 * never got an HTTP answer) are counted apart from HTTP statuses: the acceptance criterion is
 * zero of them while weights change.
 */

export interface LoadStats {
  requests: number;
  byVersion: Record<string, number>;
  byStatus: Record<number, number>;
  connectionErrors: number;
  errorMessages: string[];
}

export function emptyStats(): LoadStats {
  return { requests: 0, byVersion: {}, byStatus: {}, connectionErrors: 0, errorMessages: [] };
}

/** Sends one request and records its outcome in every one of `into`. */
async function once(url: string, into: LoadStats[], timeoutMs: number): Promise<void> {
  for (const stats of into) stats.requests += 1;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    const version = response.headers.get('x-app-version') ?? 'none';
    for (const stats of into) {
      stats.byVersion[version] = (stats.byVersion[version] ?? 0) + 1;
      stats.byStatus[response.status] = (stats.byStatus[response.status] ?? 0) + 1;
    }
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause;
    for (const stats of into) {
      stats.connectionErrors += 1;
      if (stats.errorMessages.length < 10)
        stats.errorMessages.push(`${(error as Error).message} ${cause?.message ?? ''}`);
    }
  }
}

/** Adds `more` into `total` (e.g. several bursts of `sendRequests`). */
export function addStats(total: LoadStats, more: LoadStats): LoadStats {
  total.requests += more.requests;
  total.connectionErrors += more.connectionErrors;
  for (const [version, n] of Object.entries(more.byVersion))
    total.byVersion[version] = (total.byVersion[version] ?? 0) + n;
  for (const [status, n] of Object.entries(more.byStatus))
    total.byStatus[Number(status)] = (total.byStatus[Number(status)] ?? 0) + n;
  total.errorMessages.push(
    ...more.errorMessages.slice(0, Math.max(0, 10 - total.errorMessages.length)),
  );
  return total;
}

/** Sends `count` requests with `concurrency` in flight; stops early after `maxMs`. */
export async function sendRequests(
  url: string,
  options: { count: number; concurrency: number; maxMs: number; timeoutMs?: number },
): Promise<LoadStats> {
  const stats = emptyStats();
  const deadline = Date.now() + options.maxMs;
  let next = 0;
  const worker = async () => {
    while (next < options.count && Date.now() < deadline) {
      next += 1;
      await once(url, [stats], options.timeoutMs ?? 5000);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return stats;
}

export interface SteadyClient {
  stats: LoadStats;
  /**
   * Stats of only the requests started from now on (they are counted in `stats` too), e.g. to
   * check what clients see after a rollback has returned.
   */
  since(): LoadStats;
  /** Stops sending and resolves once the requests in flight have finished. */
  stop(): Promise<LoadStats>;
}

/** A client that keeps `concurrency` requests going until stopped, `maxMs` or `maxRequests`. */
export function startSteadyClient(
  url: string,
  options: { concurrency: number; maxMs: number; maxRequests: number; pauseMs?: number },
): SteadyClient {
  const stats = emptyStats();
  const deadline = Date.now() + options.maxMs;
  const phases: LoadStats[] = [stats];
  let stopped = false;
  const worker = async () => {
    while (!stopped && Date.now() < deadline && stats.requests < options.maxRequests) {
      await once(url, [...phases], 5000);
      if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
  };
  const running = Promise.all(Array.from({ length: options.concurrency }, worker));
  return {
    stats,
    since: () => {
      const phase = emptyStats();
      phases.push(phase);
      return phase;
    },
    stop: async () => {
      stopped = true;
      await running;
      return stats;
    },
  };
}
