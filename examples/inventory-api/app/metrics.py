"""Prometheus text-format metrics, hand-written (no prometheus_client in Debian's closure).

Label names match ProdSprint's other services (method, route, code) so its health and perf gates
read them the same way: p95 comes from http_request_duration_seconds, errors from
http_requests_total{code}.
"""
import threading

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class RequestMetrics:
    def __init__(self):
        self._lock = threading.Lock()
        # (method, route, code) -> [bucket counts..., sum, count]
        self._series = {}

    def observe(self, method, route, code, seconds):
        key = (method, route, str(code))
        with self._lock:
            series = self._series.setdefault(key, [0] * len(BUCKETS) + [0.0, 0])
            for index, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    series[index] += 1
            series[-2] += seconds
            series[-1] += 1

    def render(self):
        lines = [
            "# HELP http_request_duration_seconds Time to answer HTTP requests.",
            "# TYPE http_request_duration_seconds histogram",
        ]
        with self._lock:
            series = sorted(self._series.items())
        for (method, route, code), values in series:
            labels = f'method="{method}",route="{route}",code="{code}"'
            for index, bound in enumerate(BUCKETS):
                lines.append(f'http_request_duration_seconds_bucket{{{labels},le="{bound}"}} {values[index]}')
            lines.append(f'http_request_duration_seconds_bucket{{{labels},le="+Inf"}} {values[-1]}')
            lines.append(f"http_request_duration_seconds_sum{{{labels}}} {values[-2]}")
            lines.append(f"http_request_duration_seconds_count{{{labels}}} {values[-1]}")
        lines.append("# HELP http_requests_total HTTP requests by status code.")
        lines.append("# TYPE http_requests_total counter")
        for (method, route, code), values in series:
            labels = f'method="{method}",route="{route}",code="{code}"'
            lines.append(f"http_requests_total{{{labels}}} {values[-1]}")
        return "\n".join(lines) + "\n"
