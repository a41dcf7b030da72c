import type { Stage } from './run-records.ts';
import type { RunOutcome } from './run-transitions.ts';
import type { ResolvedRunDefinition } from './stage-definition.ts';

/**
 * One reconcile pass decided from persisted state alone (Argo's idempotent reconcile steps):
 * pure, no clock reads and no I/O, so the same state always yields the same plan and a
 * restarted engine picks up exactly where the database says it was.
 */
export type RunPlan =
  | { action: 'finish'; outcome: RunOutcome }
  | {
      action: 'advance';
      /** Found running with nobody executing them: the engine died; re-enter under the same attempt. */
      reenter: string[];
      /** Pending stages to start now, in declaration order. */
      start: string[];
      /** When the earliest retry timer is due, if some stage is waiting for one. */
      wakeAtMs: number | null;
    };

export interface PlanInput {
  definition: ResolvedRunDefinition;
  stages: readonly Stage[];
  /** Stages of this run whose bodies are executing in this process. */
  executing: ReadonlySet<string>;
  nowMs: number;
}

export function planRun({ definition, stages, executing, nowMs }: PlanInput): RunPlan {
  const byName = new Map(stages.map((stage) => [stage.name, stage]));
  const active = stages.filter((stage) => stage.status === 'running');
  const reenter = active.filter((stage) => !executing.has(stage.name)).map((stage) => stage.name);
  const pending = stages.filter((stage) => stage.status === 'pending').map((stage) => stage.name);

  const failed = stages.find((stage) => stage.status === 'error' || stage.status === 'blocked');
  if (failed) {
    if (active.length > 0) return { action: 'advance', reenter, start: [], wakeAtMs: null };
    const status = failed.status === 'blocked' ? 'blocked' : 'error';
    return {
      action: 'finish',
      outcome: { status, stage: failed.name, reason: failed.reason, output: null, skip: pending },
    };
  }

  if (stages.every((stage) => stage.status === 'done' || stage.status === 'skipped')) {
    return {
      action: 'finish',
      outcome: {
        status: 'done',
        stage: null,
        reason: null,
        output: leafOutputs(definition, stages),
        skip: [],
      },
    };
  }

  const ready: string[] = [];
  let wakeAtMs: number | null = null;
  for (const stage of definition.stages) {
    const state = byName.get(stage.name);
    if (state?.status !== 'pending') continue;
    if (!stage.needs.every((need) => byName.get(need)?.status === 'done')) continue;
    const dueAt = state.nextAttemptAt === null ? null : Date.parse(state.nextAttemptAt);
    if (dueAt !== null && dueAt > nowMs)
      wakeAtMs = wakeAtMs === null ? dueAt : Math.min(wakeAtMs, dueAt);
    else ready.push(stage.name);
  }

  const start: string[] = [];
  const exclusiveActive = active.some((stage) => !definition.byName.get(stage.name)?.parallel);
  if (!exclusiveActive) {
    for (const name of ready) {
      if (definition.byName.get(name)?.parallel) start.push(name);
      else if (active.length === 0 && start.length === 0) {
        // A stage that may not run beside siblings starts alone and holds the run until it ends.
        start.push(name);
        break;
      }
    }
  }

  if (active.length === 0 && start.length === 0 && wakeAtMs === null) {
    const reason = `no stage can run: ${pending.join(', ') || 'none'} wait for stages that will not finish`;
    return {
      action: 'finish',
      outcome: { status: 'error', stage: pending[0] ?? null, reason, output: null, skip: pending },
    };
  }
  return { action: 'advance', reenter, start, wakeAtMs };
}

/** A finished run's output: the outputs of the stages nothing else depends on. */
function leafOutputs(
  definition: ResolvedRunDefinition,
  stages: readonly Stage[],
): Record<string, unknown> {
  const needed = new Set(definition.stages.flatMap((stage) => stage.needs));
  const output: Record<string, unknown> = {};
  for (const stage of stages)
    if (!needed.has(stage.name) && stage.status === 'done') output[stage.name] = stage.output;
  return output;
}
