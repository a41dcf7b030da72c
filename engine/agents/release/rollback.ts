/**
 * Rolling a release back (issue 9): traffic to the last known good version first, then stop the
 * bad version, then annotate the release. A forward-only migration is never reversed: only
 * traffic moves, and the release says so. Both steps are keyed effects, so a crash in between
 * repeats neither.
 */
import { FatalStageError, type StageContext } from '../../runs/index.ts';
import type { Target } from '../../targets/target.ts';
import { saveRelease, type Release, type ReleaseStore } from './release-state.ts';

export async function rollBackRelease(
  ctx: StageContext,
  store: ReleaseStore,
  target: Target,
  release: Release,
  now: () => number,
): Promise<Release> {
  const good = release.detail.stableVersion;
  const bad = release.version;
  if (!good) {
    throw new FatalStageError(
      `release ${release.id} has no last known good version to roll back to`,
    );
  }
  const applied = await ctx.effect('rollback-traffic', () =>
    target.setTraffic({ [good]: 100, [bad]: 0 }),
  );
  await ctx.effect('rollback-stop', async () => {
    await target.retire(bad);
    return true;
  });
  const migration = release.detail.migration;
  const schemaNote = migration?.forwardOnly
    ? `; forward-only migration${migration.id ? ` ${migration.id}` : ''} kept: schema not reversed`
    : '';
  release.phase = 'rolled-back';
  release.trafficPercent = applied[bad] ?? 0;
  release.detail.decisions.push({
    step: release.detail.stepIndex,
    at: new Date(now()).toISOString(),
    action: 'rolled-back',
    reason: `traffic back to ${good}, ${bad} stopped: ${release.detail.rollbackReason ?? 'rollback'}${schemaNote}`,
  });
  return saveRelease(store, release, 'release.rolled-back', {
    good,
    bad,
    traffic: applied,
    reason: release.detail.rollbackReason,
    schemaReversed: false,
  });
}
