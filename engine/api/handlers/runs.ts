import {
  getDeadLetter,
  listDeadLetters,
  listRunInfos,
  readEvents,
  RunEngine,
  showRun,
  stageOutputs,
} from '../../runs/index.ts';
import { localIdentity } from './local-identity.ts';
import type { HandlerContext } from '../handler-context.ts';
import type { HandlerTable } from '../handlers.ts';
import { ProblemError } from '../../contract/problem.ts';

/**
 * Cancel and replay are recorded by an engine that is never started here: the process that
 * drives runs (the desktop app or `prodsprint serve`) picks them up at its next resync.
 */
export function recordingEngine(ctx: HandlerContext): RunEngine {
  return new RunEngine({
    db: ctx.store().db,
    definitions: [],
    audit: ctx.audit().sink,
    redactor: ctx.redactor,
  });
}

export function operator(ctx: HandlerContext) {
  return {
    user: localIdentity(ctx.store().db).userId,
  };
}

export const runHandlers: HandlerTable = {
  'runs.get': async (input, ctx) => showRun(ctx.store().db, input.runId),

  'runs.list': async (input, ctx) => ({
    runs: listRunInfos(ctx.store().db, {
      limit: input.limit,
      ...(input.projectId ? { projectId: input.projectId } : {}),
      ...(input.kind ? { kind: input.kind } : {}),
      ...(input.status ? { status: input.status } : {}),
    }),
  }),

  'runs.events': async (input, ctx) => {
    const db = ctx.store().db;
    showRun(db, input.runId); // not-found for an unknown run, rather than an empty page
    const events = readEvents(db, input.runId, input.after);
    return { events, next: events.at(-1)?.seq ?? input.after };
  },

  'runs.outputs': async (input, ctx) => {
    const db = ctx.store().db;
    showRun(db, input.runId); // not-found for an unknown run
    return { runId: input.runId, outputs: stageOutputs(db, input.runId) };
  },

  'runs.cancel': async (input, ctx) =>
    recordingEngine(ctx).cancel(input.runId, operator(ctx), input.reason),

  'runs.deadLetters': async (input, ctx) => ({
    deadLetters: listDeadLetters(ctx.store().db, {
      includeReplayed: input.includeReplayed,
      ...(input.runId ? { runId: input.runId } : {}),
    }),
  }),

  'runs.replay': async (input, ctx) => {
    if (!getDeadLetter(ctx.store().db, input.deadLetterId)) {
      throw ProblemError.of('not-found', {
        detail: `no dead letter ${input.deadLetterId}`,
        remedy: 'list the dead letters there are',
        action: { operation: 'runs.deadLetters', input: {}, label: 'List dead letters' },
      });
    }
    return recordingEngine(ctx).replay(input.deadLetterId, operator(ctx));
  },
};
