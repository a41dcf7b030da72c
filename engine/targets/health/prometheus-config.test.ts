import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderPrometheusConfig } from './prometheus-config.ts';

describe('renderPrometheusConfig', () => {
  const cfg = parse(
    renderPrometheusConfig({
      scrapeIntervalSeconds: 1,
      haproxyExporter: '127.0.0.1:18404',
      dockerHost: 'unix:///tmp/ps/docker.sock',
      project: 'shop',
      appPort: 8080,
    }),
  );

  it('scrapes HAProxy statically and the app through Docker discovery of the project only', () => {
    expect(cfg.global.scrape_interval).toBe('1s');
    expect(cfg.scrape_configs[0].static_configs[0].targets).toEqual(['127.0.0.1:18404']);
    const app = cfg.scrape_configs[1];
    expect(app.docker_sd_configs[0]).toMatchObject({
      host: 'unix:///tmp/ps/docker.sock',
      filters: [{ name: 'label', values: ['prodsprint.project=shop'] }],
    });
  });

  it('turns the ownership labels into project, environment and version', () => {
    const relabels = cfg.scrape_configs[1].relabel_configs;
    expect(relabels).toContainEqual({
      source_labels: ['__meta_docker_container_label_prodsprint_version'],
      target_label: 'version',
    });
    expect(relabels[0]).toEqual({
      source_labels: ['__meta_docker_port_private'],
      regex: '8080',
      action: 'keep',
    });
  });
});
