/**
 * Steady synthetic requests to an environment while a release ramps. A local environment has no
 * users, and a canary cannot be judged on no requests (the analysis would stay inconclusive and
 * roll back, fail closed); so the sprint sends this traffic and says so in its summary.
 * Requests go to the environment's router on 127.0.0.1 only.
 */
export interface SyntheticTraffic {
  stop(): Promise<{ requests: number; failures: number; connectionErrors: number }>;
}

export function startSyntheticTraffic(options: {
  url: string;
  path: string;
  ratePerSecond: number;
  concurrency?: number;
}): SyntheticTraffic {
  const target = new URL(options.path, options.url).toString();
  const stats = { requests: 0, failures: 0, connectionErrors: 0 };
  let running = true;
  const concurrency = options.concurrency ?? 4;
  const gapMs = (1000 * concurrency) / options.ratePerSecond;
  const worker = async () => {
    while (running) {
      const started = Date.now();
      stats.requests += 1;
      try {
        const response = await fetch(target, { signal: AbortSignal.timeout(5000) });
        await response.arrayBuffer();
        if (response.status >= 500) stats.failures += 1;
      } catch {
        stats.connectionErrors += 1;
      }
      const wait = gapMs - (Date.now() - started);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  };
  const workers = Array.from({ length: concurrency }, () => worker());
  return {
    async stop() {
      running = false;
      await Promise.all(workers);
      return { ...stats };
    },
  };
}
