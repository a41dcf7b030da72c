import { setTimeout as delay } from 'node:timers/promises';
import type { RunDefinition, StageContext } from '../../engine/runs/index.ts';
import { RetryableStageError } from '../../engine/runs/index.ts';
import { applyOnce, logInvocation, type LedgerFiles } from './ledger.ts';

/** Called at every named point of the run; the child process SIGKILLs itself at the planned ones. */
export type Checkpoint = (point: string) => void;

/** Effects of the pipeline, each applied to the ledger exactly once when the engine is right. */
export const LEDGER_EFFECTS = [
  'clone',
  'compile',
  'package',
  'upload',
  'scan',
  'test',
  'tag',
] as const;

/** Attempts of `push` that fail (retryably) before its effect. */
export const PUSH_FAILING_ATTEMPTS = 2;

export interface PipelineOptions {
  files: LedgerFiles;
  checkpoint: Checkpoint;
  /** Extra time inside each stage, so randomly timed kills land inside stages too. */
  stageDelayMs: number;
}

/**
 * fetch → build → push (fails twice, then succeeds) → scan ∥ test → release. Every effect is
 * bracketed by checkpoints: before the key is recorded, inside the effect before and after the
 * ledger write, and after the key is completed.
 */
export function ledgerPipeline({
  files,
  checkpoint,
  stageDelayMs,
}: PipelineOptions): RunDefinition {
  const effect = async (ctx: StageContext, name: string): Promise<unknown> => {
    checkpoint(`stage:${ctx.stage}:before-effect:${name}`);
    const result = await ctx.effect(name, (key) => {
      logInvocation(files, key.token, name);
      checkpoint(`effect:${name}:before`);
      const outcome = applyOnce(files, key.token, name);
      checkpoint(`effect:${name}:after`);
      return { outcome, attempt: key.attempt };
    });
    checkpoint(`stage:${ctx.stage}:after-effect:${name}`);
    return result;
  };
  const pause = () => (stageDelayMs > 0 ? delay(stageDelayMs) : Promise.resolve());
  const retry = { maxAttempts: 4, initialDelayMs: 40, maxDelayMs: 200, multiplier: 2 };
  return {
    kind: 'apply',
    stages: [
      { name: 'fetch', run: async (ctx) => (await pause(), { clone: await effect(ctx, 'clone') }) },
      {
        name: 'build',
        needs: ['fetch'],
        run: async (ctx) => {
          await pause();
          const compile = await effect(ctx, 'compile');
          return { compile, package: await effect(ctx, 'package') };
        },
      },
      {
        name: 'push',
        needs: ['build'],
        retry,
        run: async (ctx) => {
          await pause();
          if (ctx.attempt <= PUSH_FAILING_ATTEMPTS) {
            checkpoint(`stage:push:failing:${ctx.attempt}`);
            throw new RetryableStageError(`registry unavailable on attempt ${ctx.attempt}`);
          }
          return { upload: await effect(ctx, 'upload') };
        },
      },
      {
        name: 'scan',
        needs: ['push'],
        parallel: true,
        run: async (ctx) => (await pause(), { scan: await effect(ctx, 'scan') }),
      },
      {
        name: 'test',
        needs: ['push'],
        parallel: true,
        run: async (ctx) => (await pause(), { test: await effect(ctx, 'test') }),
      },
      {
        name: 'release',
        needs: ['scan', 'test'],
        run: async (ctx) => (await pause(), { tag: await effect(ctx, 'tag') }),
      },
    ],
  };
}
