/**
 * What follows a release's end, each a keyed effect so a restart repeats none: a promoted canary
 * retires the old version; a rolled-back release gets its hotfix branch at last known good;
 * then `release.completed` goes out. Failures of the hotfix hook or the notification are
 * recorded on the release and logged; neither changes its outcome.
 */
import type { StageContext } from '../../runs/index.ts';
import type { Target } from '../../targets/target.ts';
import { completedEvent, defaultLog, notifyOnce, updateRelease } from './notify.ts';
import type { ReleaseAgentOptions } from './options.ts';
import type { Release, ReleaseStore } from './release-state.ts';

export async function completeRelease(
  ctx: StageContext,
  store: ReleaseStore,
  options: Omit<ReleaseAgentOptions, 'gate'>,
  target: Target,
  release: Release,
): Promise<Release> {
  if (release.phase === 'promoted') await retireStable(ctx, options, target, release);
  if (release.phase === 'rolled-back') release = await prepareHotfix(ctx, store, options, release);
  if (
    release.phase === 'promoted' ||
    release.phase === 'rolled-back' ||
    release.phase === 'aborted'
  )
    await notifyOnce(ctx, store, options, release.id, completedEvent(release, release.phase));
  return release;
}

/** Canary only: the old version goes once the new one is promoted (blue/green keeps it warm). */
async function retireStable(
  ctx: StageContext,
  options: Omit<ReleaseAgentOptions, 'gate'>,
  target: Target,
  release: Release,
): Promise<void> {
  const stable = release.detail.stableVersion;
  if (!stable || release.strategy !== 'canary') return;
  if (options.retireStableOnPromote === false) return;
  await ctx.effect('retire-stable', async () => {
    await target.retire(stable);
    return true;
  });
}

async function prepareHotfix(
  ctx: StageContext,
  store: ReleaseStore,
  options: Omit<ReleaseAgentOptions, 'gate'>,
  release: Release,
): Promise<Release> {
  const hook = options.hotfix;
  const good = release.detail.stableVersion;
  if (!hook || !good || release.detail.hotfixBranch || release.detail.hotfixError) return release;
  const result = await ctx.effect('hotfix-branch', async () => {
    try {
      const { branch } = await hook({
        releaseId: release.id,
        projectId: release.projectId,
        environment: release.environment,
        version: release.version,
        goodVersion: good,
        reason: release.detail.rollbackReason ?? 'rollback',
      });
      return { branch, error: null as string | null };
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      (options.log ?? defaultLog)(`release ${release.id}: hotfix branch not prepared: ${message}`);
      return { branch: null as string | null, error: message };
    }
  });
  return (
    updateRelease(store, release.id, 'release.hotfix.prepared', (r) => {
      r.detail.hotfixBranch = result.branch;
      r.detail.hotfixError = result.error;
      return { branch: result.branch, error: result.error };
    }) ?? release
  );
}
