/**
 * Perf and observability artifacts (issue 7): a k6 script per service whose thresholds are the
 * perf budget, the OTel collector config, per-language instrumentation notes, a Grafana
 * dashboard, alert rules and multi-window burn-rate SLO rules.
 */
import { canonicalJson } from './canonical-json.ts';
import type { RenderedArtifact } from './plan-model.ts';
import type { TemplateScope } from './template-engine.ts';
import type { MetricsView } from './service-view.ts';
import type { TemplateStore } from './template-store.ts';

/** Windows the burn-rate alerts pair up (SRE workbook, chapter 5). */
const SLO_WINDOWS = ['5m', '30m', '1h', '6h', '3d'];

/** PascalCase prefix for alert names, which Prometheus wants as identifiers. */
function alertPrefix(slug: string): string {
  return slug
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** One k6 script per service. */
export function renderPerf(store: TemplateStore, services: TemplateScope[]): RenderedArtifact[] {
  return services.map((service) => ({
    path: `perf/k6/${String(service.slug)}.js`,
    content: store.render('perf/k6.js', service),
  }));
}

/** Collector config once; instrumentation notes, dashboard, alerts and SLO rules per service. */
export function renderObservability(
  store: TemplateStore,
  base: TemplateScope,
  services: TemplateScope[],
): RenderedArtifact[] {
  const artifacts: RenderedArtifact[] = [
    {
      path: 'observability/otel-collector.yaml',
      content: store.render('observability/otel-collector.yaml', {
        ...base,
        // A prometheus receiver only when a service's metrics are scraped, not pushed.
        scrapeApps: services.some(
          (service) => service.serves === true && (service.metrics as MetricsView).scrape,
        ),
      }),
    },
  ];
  for (const service of services) {
    const slug = String(service.slug);
    const errorRate = Number(service.errorRate);
    const scope: TemplateScope = {
      ...service,
      alertPrefix: alertPrefix(slug),
      p95Seconds: Number((Number(service.p95Ms) / 1000).toFixed(3)),
      // The SLO is the perf budget's error rate: the budget is what the gates already enforce.
      errorBudget: errorRate,
      sloPct: Number(((1 - errorRate) * 100).toFixed(4)),
      windows: SLO_WINDOWS.map((window) => ({ window, range: `[${window}]` })),
      startCommandOrDefault: service.startCommand ?? 'python -m uvicorn main:app',
    };
    if (service.toolchain) {
      artifacts.push({
        path: `observability/instrumentation/${slug}.md`,
        content: store.render(
          `observability/instrumentation/${String(service.toolchain)}.md`,
          scope,
        ),
      });
    }
    artifacts.push(
      {
        path: `observability/grafana/${slug}.json`,
        content: canonicalJson(
          JSON.parse(store.render('observability/grafana-dashboard.json', scope)),
        ),
      },
      {
        path: `observability/prometheus/${slug}-alerts.yaml`,
        content: store.render('observability/alerts.yaml', scope),
      },
      {
        path: `observability/prometheus/${slug}-slo.yaml`,
        content: store.render('observability/slo.yaml', scope),
      },
    );
  }
  return artifacts;
}
