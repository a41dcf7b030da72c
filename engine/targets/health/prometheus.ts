/**
 * Health from Prometheus over its HTTP API (issue 9): error rate per version from HAProxy's
 * exporter (responses per server), p95 from the app's own latency histogram. Most services
 * export no histogram (issue 14): their latency is then HAProxy's average response time of the
 * version's servers, the highest one, and the report says which source it used. Fails closed: an
 * unreachable Prometheus throws, and a version without samples is reported as missing data,
 * which the threshold check never counts as healthy.
 * https://prometheus.io/docs/prometheus/latest/querying/api/
 */
import { HealthUnavailableError } from '../errors.ts';
import type { HealthQuery, HealthReport, HealthSource, VersionHealth } from '../target.ts';

export interface PrometheusOptions {
  /** Base URL, e.g. http://127.0.0.1:19090. */
  url: string;
  timeoutMs?: number;
}

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export class PrometheusHealth implements HealthSource {
  readonly url: string;
  readonly timeoutMs: number;

  constructor(options: PrometheusOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  /** Instant PromQL query; throws HealthUnavailableError when Prometheus cannot answer. */
  async query(promql: string): Promise<Sample[]> {
    let response: Response;
    try {
      response = await fetch(`${this.url}/api/v1/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query: promql }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new HealthUnavailableError(
        `Prometheus at ${this.url} is unreachable: ${(error as Error).message}`,
        "start Prometheus or fix the target's metrics URL; health gates stay closed meanwhile",
      );
    }
    const body = (await response.json().catch(() => undefined)) as PromResponse | undefined;
    if (!response.ok || body?.status !== 'success' || body.data.resultType !== 'vector') {
      throw new HealthUnavailableError(
        `Prometheus rejected ${promql}: HTTP ${response.status} ${body?.error ?? ''}`.trim(),
      );
    }
    return body.data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
  }

  async measure(query: HealthQuery): Promise<HealthReport> {
    const w = `${Math.max(1, Math.round(query.windowSeconds))}s`;
    const proxy = `proxy=${JSON.stringify(query.backend)}`;
    const app = Object.entries(query.appLabels)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(',');
    const [totals, errors, p95s, sessions, averages] = await Promise.all([
      this.query(`sum by (server) (increase(haproxy_server_http_responses_total{${proxy}}[${w}]))`),
      this.query(
        `sum by (server) (increase(haproxy_server_http_responses_total{${proxy},code="5xx"}[${w}]))`,
      ),
      this.query(
        `histogram_quantile(0.95, sum by (version, le) (rate(http_request_duration_seconds_bucket{${app}}[${w}])))`,
      ),
      this.query(`avg_over_time(haproxy_server_current_sessions{${proxy}}[${w}])`),
      this.query(`max_over_time(haproxy_server_response_time_average_seconds{${proxy}}[${w}])`),
    ]);
    const versions: Record<string, VersionHealth> = {};
    for (const version of new Set(Object.values(query.servers))) {
      const servers = Object.keys(query.servers).filter((s) => query.servers[s] === version);
      versions[version] = versionHealth(
        version,
        servers,
        { totals, errors, p95s, sessions, averages },
        w,
      );
    }
    return { windowSeconds: query.windowSeconds, at: new Date().toISOString(), versions };
  }
}

function versionHealth(
  version: string,
  servers: string[],
  samples: Record<'totals' | 'errors' | 'p95s' | 'sessions' | 'averages', Sample[]>,
  window: string,
): VersionHealth {
  const { totals, errors, p95s, sessions, averages } = samples;
  const missing: string[] = [];
  const ofServers = (samples: Sample[]) =>
    samples.filter((s) => servers.includes(s.labels.server ?? ''));
  const totalSamples = ofServers(totals);
  const requests = sum(totalSamples);
  if (totalSamples.length < servers.length) {
    missing.push(
      `no haproxy_server_http_responses_total for ${servers.join(', ')} in the last ${window}`,
    );
  }
  const errorCount = sum(ofServers(errors));
  const errorRate = requests > 0 ? errorCount / requests : undefined;
  if (errorRate === undefined && missing.length === 0)
    missing.push(`no responses from ${version} in the last ${window}`);
  const p95 = p95s.find((s) => s.labels.version === version)?.value;
  const histogram = p95 !== undefined && Number.isFinite(p95) ? p95 : undefined;
  // No histogram from the app: the slowest server's average as HAProxy measured it. It only
  // counts once the version answered requests (an idle server's average is a stale 0).
  const serverAverages = ofServers(averages)
    .map((s) => s.value)
    .filter(Number.isFinite);
  const average =
    histogram === undefined && requests > 0 && serverAverages.length === servers.length
      ? Math.max(...serverAverages)
      : undefined;
  const p95Seconds = histogram ?? average;
  if (p95Seconds === undefined) {
    missing.push(
      `no latency for ${version} in the last ${window}: no http_request_duration_seconds samples from the app and no HAProxy response time`,
    );
  }
  const sessionSamples = ofServers(sessions);
  const meanSessions =
    sessionSamples.length === servers.length ? sum(sessionSamples) / servers.length : undefined;
  if (meanSessions === undefined) {
    missing.push(
      `no haproxy_server_current_sessions for ${servers.join(', ')} in the last ${window}`,
    );
  }
  return {
    version,
    requests: Math.round(requests),
    errorRate,
    p95Seconds,
    latencySource:
      histogram !== undefined ? 'app-histogram' : average !== undefined ? 'haproxy-average' : null,
    meanSessions,
    missing,
  };
}

function sum(samples: Sample[]): number {
  return samples.reduce((total, s) => total + (Number.isFinite(s.value) ? s.value : 0), 0);
}

interface PromResponse {
  status: 'success' | 'error';
  error?: string;
  data: {
    resultType: string;
    result: Array<{ metric: Record<string, string>; value: [number, string] }>;
  };
}
