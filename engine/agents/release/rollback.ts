/**
 * Rolling a release back (issue 9): traffic to the last known good version first, then stop the
 * bad version, then annotate the release. A forward-only migration is never reversed: only
 * traffic moves, and the release says so. Both steps are keyed effects, so a crash in between
 * repeats neither. An aborted release (controls.ts) takes the same steps and ends `aborted`.
 */
import type { StageContext } from '../../runs/index.ts';
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
  const aborted = Boolean(release.detail.abortedBy);
  // A first release has nothing to send traffic back to: stopping it returns the environment to
  // where it was before (serving nothing), which is all a rollback can do.
  const applied = good
    ? await ctx.effect('rollback-traffic', () => target.setTraffic({ [good]: 100, [bad]: 0 }))
    : { [bad]: 0 };
  await ctx.effect('rollback-stop', async () => {
    await target.retire(bad);
    return true;
  });
  const migration = release.detail.migration;
  const schemaNote = migration?.forwardOnly
    ? `; forward-only migration${migration.id ? ` ${migration.id}` : ''} kept: schema not reversed`
    : '';
  release.phase = aborted ? 'aborted' : 'rolled-back';
  release.trafficPercent = applied[bad] ?? 0;
  const moved = good ? `traffic back to ${good}, ` : 'first release, nothing to go back to: ';
  release.detail.decisions.push({
    step: release.detail.stepIndex,
    at: new Date(now()).toISOString(),
    action: aborted ? 'aborted' : 'rolled-back',
    reason: `${moved}${bad} stopped: ${release.detail.rollbackReason ?? 'rollback'}${schemaNote}`,
    ...(release.detail.abortedBy ? { actor: release.detail.abortedBy.actor } : {}),
  });
  return saveRelease(store, release, aborted ? 'release.aborted' : 'release.rolled-back', {
    good,
    bad,
    traffic: applied,
    reason: release.detail.rollbackReason,
    schemaReversed: false,
  });
}
