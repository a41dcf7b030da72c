/**
 * Renders the Prometheus scrape config the health gates rely on (RECIPES.md, "Prometheus for
 * health gates"): HAProxy's exporter as a static target, and the app's containers found through
 * Docker service discovery, their prodsprint.* labels becoming project/environment/version so
 * the latency histogram can be grouped by version. Pure; `promtool check config` accepts it.
 */
import { stringify } from 'yaml';
import { LABELS } from '../docker/names.ts';

export interface PrometheusConfigInput {
  scrapeIntervalSeconds: number;
  /** host:port of HAProxy's prometheus-exporter frontend. */
  haproxyExporter: string;
  /** unix:///path/docker.sock or tcp://host:port of the engine running the app. */
  dockerHost: string;
  /** Only containers of this project are scraped. */
  project: string;
  /** Port of /metrics inside the app's containers. */
  appPort: number;
}

export function renderPrometheusConfig(input: PrometheusConfigInput): string {
  const interval = `${input.scrapeIntervalSeconds}s`;
  const meta = (label: string) =>
    `__meta_docker_container_label_${label.replace(/[^a-zA-Z0-9]/g, '_')}`;
  return stringify({
    global: { scrape_interval: interval, evaluation_interval: interval },
    scrape_configs: [
      { job_name: 'haproxy', static_configs: [{ targets: [input.haproxyExporter] }] },
      {
        job_name: 'app',
        docker_sd_configs: [
          {
            host: input.dockerHost,
            refresh_interval: interval,
            filters: [{ name: 'label', values: [`${LABELS.project}=${input.project}`] }],
          },
        ],
        relabel_configs: [
          // docker_sd yields one target per exposed port: keep only the app's metrics port.
          {
            source_labels: ['__meta_docker_port_private'],
            regex: String(input.appPort),
            action: 'keep',
          },
          { source_labels: [meta(LABELS.project)], target_label: 'project' },
          { source_labels: [meta(LABELS.environment)], target_label: 'environment' },
          { source_labels: [meta(LABELS.version)], target_label: 'version' },
          { source_labels: [meta(LABELS.replica)], target_label: 'replica' },
        ],
      },
    ],
  });
}
