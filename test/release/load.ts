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

function emptyStats(): LoadStats {
  return { requests: 0, byVersion: {}, byStatus: {}, connectionErrors: 0, errorMessages: [] };
}

async function once(url: string, stats: LoadStats, timeoutMs: number): Promise<void> {
  stats.requests += 1;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    const version = response.headers.get('x-app-version') ?? 'none';
    stats.byVersion[version] = (stats.byVersion[version] ?? 0) + 1;
    stats.byStatus[response.status] = (stats.byStatus[response.status] ?? 0) + 1;
  } catch (error) {
    stats.connectionErrors += 1;
    const cause = (error as Error & { cause?: Error }).cause;
    if (stats.errorMessages.length < 10)
      stats.errorMessages.push(`${(error as Error).message} ${cause?.message ?? ''}`);
  }
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
      await once(url, stats, options.timeoutMs ?? 5000);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return stats;
}

export interface SteadyClient {
  stats: LoadStats;
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
  let stopped = false;
  const worker = async () => {
    while (!stopped && Date.now() < deadline && stats.requests < options.maxRequests) {
      await once(url, stats, 5000);
      if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
  };
  const running = Promise.all(Array.from({ length: options.concurrency }, worker));
  return {
    stats,
    stop: async () => {
      stopped = true;
      await running;
      return stats;
    },
  };
}
