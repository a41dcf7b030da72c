/**
 * Waiting for a run from the command line: this process drives the data dir's runs when no
 * other process does (so `prodsprint apply` works without a server), and otherwise leaves the
 * driving to that process (`serve`, the desktop app) and follows the run's events.
 */
import type { Engine, RunEventSource } from '../engine/api/index.ts';
import { ProblemError, watchRun } from '../engine/api/index.ts';
import type { CommandContext } from './command-runner.ts';

/** Polls the run's events through the contract, as any client of the API would. */
export function pollingSource(engine: Engine, intervalMs = 500): RunEventSource {
  return {
    subscribe(runId, afterSeq, listener) {
      let cursor = afterSeq;
      let stopped = false;
      const tick = async () => {
        if (stopped) return;
        const { events, next } = await engine.invoke('runs.events', { runId, after: cursor });
        cursor = next;
        for (const event of events) listener(event as never);
        if (!stopped) setTimeout(() => void tick(), intervalMs);
      };
      void tick();
      return () => {
        stopped = true;
      };
    },
  };
}

/** Drives runs here unless another live process already does; true when this one drives. */
export function driveRunsHere(engine: Engine): boolean {
  try {
    engine.driveRuns();
    return true;
  } catch (error) {
    if (error instanceof ProblemError && error.problem.status === 409) return false;
    throw error;
  }
}

/** Follows a run to its end with a live view per stage; returns its final state. */
export async function followRun(ctx: CommandContext, runId: string) {
  const info = await ctx.engine.invoke('runs.get', { runId });
  await watchRun(
    pollingSource(ctx.engine),
    runId,
    info.stages.map((stage) => stage.name),
    { tty: ctx.mode.io.isTty && !ctx.mode.json, stream: process.stderr },
  );
  return ctx.engine.invoke('runs.get', { runId });
}
