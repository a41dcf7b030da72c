/**
 * The project's release history as a risk factor (issue 9): how many of its releases rolled
 * back, were aborted, or whose run failed, in the last N days. Used when the release input does
 * not say; a release is never counted against itself.
 */
import type { Db } from '../../store/database.ts';

export const DEFAULT_RECENT_FAILURE_DAYS = 30;

export function countRecentFailures(
  db: Db,
  projectId: string,
  options: { nowMs: number; days?: number; excludeId?: string },
): number {
  const days = options.days ?? DEFAULT_RECENT_FAILURE_DAYS;
  const since = new Date(options.nowMs - days * 86_400_000).toISOString();
  const row = db
    .prepare(
      `SELECT count(*) AS n FROM releases r LEFT JOIN runs ON runs.id = r.run_id
        WHERE r.project_id = ? AND r.id != ? AND r.created_at >= ?
          AND (r.status IN ('rolled-back', 'aborted') OR runs.status = 'error')`,
    )
    .get(projectId, options.excludeId ?? '', since) as { n: number };
  return row.n;
}
