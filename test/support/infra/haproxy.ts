/**
 * Runs HAProxy for a test (RECIPES.md, "HAProxy as the traffic router"): the config rendered by
 * the docker target, `haproxy -W -f cfg` in master-worker mode, ready once the admin socket
 * answers. Each test gets its own instance, ports and socket; stop() ends only that PID.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { renderHaproxyConfig } from '../../../engine/targets/docker/haproxy/config.ts';
import { HaproxyRuntimeApi } from '../../../engine/targets/docker/haproxy/runtime-api.ts';
import { freePort, infraDir, spawnDaemon, stopPid, waitUntil } from './daemon.ts';

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
  const dir = mkdtempSync(join(infraDir(), 'haproxy-'));
  const adminSocket = join(dir, 'admin.sock');
  const frontendPort = await freePort();
  const exporterPort = await freePort();
  const cfg = join(dir, 'haproxy.cfg');
  writeFileSync(
    cfg,
    renderHaproxyConfig({
      adminSocket,
      backend,
      healthPath: '/healthz',
      frontend: { address: '127.0.0.1', port: frontendPort },
      exporter: { address: '127.0.0.1', port: exporterPort },
    }),
  );
  await promisify(execFile)('haproxy', ['-c', '-q', '-f', cfg]).catch(
    (error: Error & { stderr?: string }) => {
      throw new Error(`haproxy rejected ${cfg}: ${error.stderr ?? error.message}`);
    },
  );
  const api = new HaproxyRuntimeApi({ socketPath: adminSocket, timeoutMs: 2000 });
  const launch = async () => {
    const daemon = spawnDaemon('haproxy', ['-W', '-f', cfg], { logFile: join(dir, 'haproxy.log') });
    await waitUntil(
      async () => (await api.execute('show info')).includes('Name: HAProxy'),
      10_000,
      () => `haproxy did not open ${adminSocket} within 10 s; see ${daemon.logFile}`,
      50,
    );
    return daemon.pid;
  };
  const running: RunningHaproxy = {
    pid: await launch(),
    adminSocket,
    backend,
    url: `http://127.0.0.1:${frontendPort}`,
    exporterAddress: `127.0.0.1:${exporterPort}`,
    api,
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
