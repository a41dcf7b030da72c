/**
 * The `rollback` run (issue 9): a person's rollback of a release, with the same steps the
 * release's automatic rollback takes (rollback.ts), keyed under this run's own effects.
 */
import { FatalStageError, defineRun, systemClock, type RunDefinition } from '../../runs/index.ts';
import { completeRelease } from './complete.ts';
import type { ReleaseAgentOptions } from './options.ts';
import { rollbackInputSchema } from './release-input.ts';
import { getRelease, saveRelease } from './release-state.ts';
import { rollBackRelease } from './rollback.ts';
import { resolveTarget } from './target.ts';

export function rollbackRun(options: Omit<ReleaseAgentOptions, 'gate'>): RunDefinition {
  const clock = options.clock ?? systemClock();
  const store = { db: options.db, audit: options.audit };
  return defineRun({
    kind: 'rollback',
    input: rollbackInputSchema,
    stages: [
      {
        name: 'rollback',
        retry: { maxAttempts: 3, initialDelayMs: 1000 },
        async run(ctx) {
          const input = rollbackInputSchema.parse(ctx.input);
          let release = getRelease(options.db, input.releaseId);
          if (!release) throw new FatalStageError(`release ${input.releaseId} does not exist`);
          if (release.phase === 'blocked')
            throw new FatalStageError(`release ${release.id} never started: nothing to roll back`);
          if (release.phase !== 'rolled-back' && release.phase !== 'aborted') {
            // A promoted release's run has ended: this run does what follows the rollback
            // (hotfix branch, release.completed). A running release's own run does it otherwise.
            const finished = release.phase === 'promoted';
            const target = await resolveTarget(options.target, {
              projectId: release.projectId,
              environment: release.environment,
            });
            if (release.phase !== 'rolling-back') {
              release.phase = 'rolling-back';
              release.detail.rollbackReason = input.reason;
              release.detail.manualPromote = null;
              release = saveRelease(store, release, 'release.rollback.requested', {
                reason: input.reason,
              });
            }
            release = await rollBackRelease(ctx, store, target, release, () => clock.now());
            if (finished) {
              release = await completeRelease(ctx, store, options, target, release);
            }
          }
          return { releaseId: release.id, phase: release.phase };
        },
      },
    ],
  });
}
