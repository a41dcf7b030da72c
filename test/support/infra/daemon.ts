/**
 * Start-and-stop helpers shared by the infra fixtures (issue 9). The implementation is the
 * engine's (engine/system/daemon.ts), so tests start and stop daemons exactly as the product
 * does; only the test infrastructure's state dir lives here.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export {
  commandLine,
  freePort,
  isAlive,
  isDaemon,
  logTail,
  portInUse,
  sleep,
  spawnDaemon,
  stopPid,
  waitUntil,
} from '../../../engine/system/daemon.ts';
export { withFileLock as withLock } from '../../../engine/system/file-lock.ts';
export type { SpawnDaemonOptions, StartedDaemon } from '../../../engine/system/daemon.ts';

/**
 * Root of the test infrastructure's state (HAProxy and Prometheus dirs, build locks, logs). Kept
 * short because unix socket paths are limited to 107 bytes; PRODSPRINT_INFRA_DIR moves it. The
 * Docker Engine the tests start is NOT here: it is the product's shared one (see
 * engine/environments/local/dockerd.ts, PRODSPRINT_DOCKER_DIR), so tests and the product never
 * run two daemons side by side.
 */
export function infraDir(): string {
  const dir = process.env.PRODSPRINT_INFRA_DIR ?? join(tmpdir(), 'prodsprint-infra');
  mkdirSync(dir, { recursive: true });
  return dir;
}
