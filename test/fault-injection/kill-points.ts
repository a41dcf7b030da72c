/**
 * How an engine child process kills itself on cue: FI_KILL_POINTS lists named points; the first
 * time the child reaches one it writes a marker file (fsync'd, so the next start knows) and
 * SIGKILLs itself. Run events are points too, named by their persisted occurrence
 * (`event:<stage|run>:<status>#<n>`), so "between stages" is the same point on every restart.
 */
import { closeSync, existsSync, fsyncSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { RunEngine } from '../../engine/runs/index.ts';
import { sql } from '../../engine/runs/statements.ts';
import type { Db } from '../../engine/store/database.ts';

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
}

/** The checkpoint function for FI_KILL_POINTS, remembering kills in FI_MARKERS. */
export function killPointsFromEnv(): (point: string) => void {
  const markers = requiredEnv('FI_MARKERS');
  const points = new Set((process.env.FI_KILL_POINTS ?? '').split(',').filter(Boolean));
  return (point) => {
    if (!points.has(point)) return;
    const marker = join(markers, encodeURIComponent(point));
    if (existsSync(marker)) return;
    const fd = openSync(marker, 'w');
    fsyncSync(fd);
    closeSync(fd);
    process.kill(process.pid, 'SIGKILL');
  };
}

/** Makes every run event a kill point. */
export function checkpointEvents(
  engine: RunEngine,
  db: Db,
  checkpoint: (point: string) => void,
): void {
  const occurrences = sql(
    db,
    'SELECT count(*) AS n FROM run_events WHERE run_id = ? AND stage IS ? AND status = ?',
  );
  engine.events.subscribeAll((event) => {
    const { n } = occurrences.get(event.runId, event.stage, event.status) as { n: number };
    checkpoint(`event:${event.stage ?? 'run'}:${event.status}#${n}`);
  });
}
