/**
 * Runs Prometheus for a test (RECIPES.md, "Prometheus for health gates"): the scrape config the
 * engine renders, checked and launched by the same engine code the local environment uses
 * (engine/environments/local/daemons.ts), TSDB in a temp dir, on 127.0.0.1 only. stop() ends
 * that PID and deletes its data.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderPrometheusConfig } from '../../../engine/targets/health/prometheus-config.ts';
import type { PrometheusConfigInput } from '../../../engine/targets/health/prometheus-config.ts';
import { requireProgram } from '../../../engine/environments/local/binaries.ts';
import {
  checkPrometheusConfig,
  launchPrometheus,
} from '../../../engine/environments/local/daemons.ts';
import { freePort, infraDir, stopPid } from './daemon.ts';

export interface RunningPrometheus {
  pid: number;
  url: string;
  stop(): Promise<void>;
}

export async function startPrometheus(input: PrometheusConfigInput): Promise<RunningPrometheus> {
  const prometheus = requireProgram('prometheus', 'to measure test traffic');
  const promtool = requireProgram('promtool', 'to check the test config');
  const dir = mkdtempSync(join(infraDir(), 'prometheus-'));
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, renderPrometheusConfig(input));
  await checkPrometheusConfig(promtool, configFile);
  const port = await freePort();
  const pid = await launchPrometheus({
    binary: prometheus,
    configFile,
    logFile: join(dir, 'prometheus.log'),
    port,
    storageDir: join(dir, 'data'),
    retention: '1h',
    detached: false,
  });
  return {
    pid,
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      await stopPid(pid);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
