// Prometheus text-format metrics, hand-written so the service stays dependency-free. The
// release health gates read p95 from http_request_duration_seconds (ProdSprint's PromQL
// aggregates the buckets by version), so every answered request except /metrics is observed.
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export function createMetrics() {
  const counts = BUCKETS.map(() => 0);
  const byCode = new Map();
  let sum = 0;
  let total = 0;
  return {
    observe(status, seconds) {
      BUCKETS.forEach((le, i) => {
        if (seconds <= le) counts[i] += 1;
      });
      sum += seconds;
      total += 1;
      byCode.set(status, (byCode.get(status) ?? 0) + 1);
    },
    render() {
      return [
        '# HELP http_request_duration_seconds Time to answer HTTP requests.',
        '# TYPE http_request_duration_seconds histogram',
        ...BUCKETS.map((le, i) => `http_request_duration_seconds_bucket{le="${le}"} ${counts[i]}`),
        `http_request_duration_seconds_bucket{le="+Inf"} ${total}`,
        `http_request_duration_seconds_sum ${sum}`,
        `http_request_duration_seconds_count ${total}`,
        '# HELP http_requests_total Answered requests by status code.',
        '# TYPE http_requests_total counter',
        ...[...byCode].map(([code, n]) => `http_requests_total{code="${code}"} ${n}`),
        '',
      ].join('\n');
    },
  };
}
