import {
  getDeadLetter,
  listDeadLetters,
  listRunInfos,
  readEvents,
  RunEngine,
  showRun,
} from '../../runs/index.ts';
import { localIdentity } from './local-identity.ts';
import type { HandlerContext } from '../handler-context.ts';
import type { HandlerTable } from '../handlers.ts';
import { ProblemError } from '../problem.ts';

/**
 * Cancel and replay are recorded by an engine that is never started here: the process that
 * drives runs (the desktop app or `prodsprint serve`) picks them up at its next resync.
 */
function recordingEngine(ctx: HandlerContext): RunEngine {
  return new RunEngine({
    db: ctx.store().db,
    definitions: [],
    audit: ctx.audit().sink,
    redactor: ctx.redactor,
  });
}

function operator(ctx: HandlerContext) {
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
    const rows = db
      .prepare(`SELECT name, output FROM stages WHERE run_id = ? AND output IS NOT NULL`)
      .all(input.runId) as Array<{ name: string; output: string }>;
    return {
      runId: input.runId,
      outputs: Object.fromEntries(rows.map((row) => [row.name, JSON.parse(row.output) as unknown])),
    };
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
        remedy: 'list them with `prodsprint runs dlq`',
      });
    }
    return recordingEngine(ctx).replay(input.deadLetterId, operator(ctx));
  },
};
