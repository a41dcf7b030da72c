/**
 * Runs Prometheus for a test (RECIPES.md, "Prometheus for health gates"): the scrape config the
 * engine renders, validated with promtool, TSDB in a temp dir, listening on 127.0.0.1 only.
 * stop() ends that PID and deletes its data.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { renderPrometheusConfig } from '../../../engine/targets/health/prometheus-config.ts';
import type { PrometheusConfigInput } from '../../../engine/targets/health/prometheus-config.ts';
import { freePort, infraDir, spawnDaemon, stopPid, waitUntil } from './daemon.ts';

export interface RunningPrometheus {
  pid: number;
  url: string;
  stop(): Promise<void>;
}

export async function startPrometheus(input: PrometheusConfigInput): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(infraDir(), 'prometheus-'));
  const cfg = join(dir, 'prometheus.yml');
  writeFileSync(cfg, renderPrometheusConfig(input));
  await promisify(execFile)('promtool', ['check', 'config', cfg]).catch(
    (error: Error & { stdout?: string; stderr?: string }) => {
      throw new Error(
        `promtool rejected ${cfg}: ${error.stdout ?? ''}${error.stderr ?? error.message}`,
      );
    },
  );
  const port = await freePort();
  const daemon = spawnDaemon(
    'prometheus',
    [
      `--config.file=${cfg}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1h',
    ],
    { logFile: join(dir, 'prometheus.log') },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(
    async () => (await fetch(`${url}/-/ready`)).ok,
    20_000,
    () => `prometheus did not become ready on ${url} within 20 s; see ${daemon.logFile}`,
  );
  return {
    pid: daemon.pid,
    url,
    stop: async () => {
      await stopPid(daemon.pid);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
