/**
 * Runs HAProxy for a test (RECIPES.md, "HAProxy as the traffic router"): the config rendered by
 * the docker target, checked and launched by the same engine code the local environment uses
 * (engine/environments/local/daemons.ts). Each call gets its own instance, ports and socket;
 * stop() ends only that PID.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHaproxyConfig } from '../../../engine/targets/docker/haproxy/config.ts';
import { HaproxyRuntimeApi } from '../../../engine/targets/docker/haproxy/runtime-api.ts';
import { requireProgram } from '../../../engine/environments/local/binaries.ts';
import { checkHaproxyConfig, launchHaproxy } from '../../../engine/environments/local/daemons.ts';
import { freePort, infraDir, stopPid } from './daemon.ts';

export interface RunningHaproxy {
  pid: number;
  adminSocket: string;
  backend: string;
  /** http://127.0.0.1:PORT, the frontend clients use. */
  url: string;
  /** host:port of the Prometheus exporter (/metrics). */
  exporterAddress: string;
  api: HaproxyRuntimeApi;
  /** Stops and starts it again on the same config, ports and socket (state lost, as in prod). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startHaproxy(backend = 'be'): Promise<RunningHaproxy> {
  const haproxy = requireProgram('haproxy', 'to route test traffic');
  const dir = mkdtempSync(join(infraDir(), 'haproxy-'));
  const adminSocket = join(dir, 'admin.sock');
  const frontendPort = await freePort();
  const exporterPort = await freePort();
  const configFile = join(dir, 'haproxy.cfg');
  writeFileSync(
    configFile,
    renderHaproxyConfig({
      adminSocket,
      backend,
      healthPath: '/healthz',
      frontend: { address: '127.0.0.1', port: frontendPort },
      exporter: { address: '127.0.0.1', port: exporterPort },
    }),
  );
  await checkHaproxyConfig(haproxy, configFile);
  const launch = () =>
    launchHaproxy({
      binary: haproxy,
      configFile,
      logFile: join(dir, 'haproxy.log'),
      adminSocket,
      detached: false,
    });
  const running: RunningHaproxy = {
    pid: await launch(),
    adminSocket,
    backend,
    url: `http://127.0.0.1:${frontendPort}`,
    exporterAddress: `127.0.0.1:${exporterPort}`,
    api: new HaproxyRuntimeApi({ socketPath: adminSocket, timeoutMs: 2000 }),
    restart: async () => {
      await stopPid(running.pid);
      running.pid = await launch();
    },
    stop: async () => {
      await stopPid(running.pid);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return running;
}
