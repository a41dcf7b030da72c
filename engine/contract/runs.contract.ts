import { z } from 'zod';
import { defineOperation } from './operation.ts';

export const RunKind = z.enum(['apply', 'release', 'rollback', 'sprint']);
export const RunStatus = z.enum(['pending', 'running', 'done', 'error', 'blocked', 'cancelled']);

export const StageInfo = z.object({
  name: z.string(),
  status: z.string(),
  attempt: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  /** Waiting of its own accord (an approval, a child run, a canary window), not after a failure. */
  waiting: z.boolean(),
  reason: z.string().nullable(),
  compensation: z.enum(['none', 'pending', 'done', 'failed']),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

/** A run as the API and UI see it (engine/runs `toRunInfo` makes it). */
export const RunInfo = z.object({
  runId: z.string(),
  projectId: z.string(),
  kind: RunKind,
  status: RunStatus,
  /** running(stage), error(stage, reason), blocked(stage, reason). */
  stage: z.string().nullable(),
  reason: z.string().nullable(),
  submittedBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  stages: z.array(StageInfo),
});

export const RunEvent = z.object({
  runId: z.string(),
  seq: z.number().int(),
  stage: z.string().nullable(),
  status: z.string(),
  percent: z.number().nullable(),
  message: z.string(),
  at: z.string(),
});

export const DeadLetterInfo = z.object({
  id: z.string(),
  runId: z.string(),
  stage: z.string(),
  attempts: z.number().int(),
  error: z.string(),
  inputs: z.unknown(),
  createdAt: z.string(),
  replayedAt: z.string().nullable(),
});

export const runsGet = defineOperation({
  name: 'runs.get',
  summary: 'A run, its stages and their states',
  input: z.object({ runId: z.string().min(1) }).strict(),
  output: RunInfo,
  http: { method: 'GET', path: '/runs/:runId' },
});

export const runsList = defineOperation({
  name: 'runs.list',
  summary: 'Runs, newest first, filtered by project, kind or status',
  input: z
    .object({
      projectId: z.string().min(1).optional(),
      kind: RunKind.optional(),
      status: RunStatus.optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(50),
    })
    .strict(),
  output: z.object({ runs: z.array(RunInfo) }),
  http: { method: 'GET', path: '/runs' },
});

export const runsEvents = defineOperation({
  name: 'runs.events',
  summary: 'Events of a run after a cursor (late subscribers replay from here)',
  input: z
    .object({ runId: z.string().min(1), after: z.coerce.number().int().min(0).default(0) })
    .strict(),
  output: z.object({ events: z.array(RunEvent), next: z.number().int() }),
  http: { method: 'GET', path: '/runs/:runId/events' },
});

export const runsCancel = defineOperation({
  name: 'runs.cancel',
  summary: 'Cancel a queued or running run; running stages are told to stop',
  input: z
    .object({
      runId: z.string().min(1),
      reason: z.string().min(1).max(2000).default('cancelled by operator'),
    })
    .strict(),
  output: RunInfo,
  http: { method: 'POST', path: '/runs/:runId/cancel' },
});

export const runsDeadLetters = defineOperation({
  name: 'runs.deadLetters',
  summary: 'Stages that exhausted their retries, with the error and the inputs they had',
  input: z
    .object({
      runId: z.string().min(1).optional(),
      includeReplayed: z.coerce.boolean().default(false),
    })
    .strict(),
  output: z.object({ deadLetters: z.array(DeadLetterInfo) }),
  http: { method: 'GET', path: '/dead-letters' },
});

export const runsReplay = defineOperation({
  name: 'runs.replay',
  summary: "Re-queue a dead letter's run with a fresh retry budget",
  input: z.object({ deadLetterId: z.string().min(1) }).strict(),
  output: RunInfo,
  http: { method: 'POST', path: '/dead-letters/:deadLetterId/replay' },
});

export const runsOutputs = defineOperation({
  name: 'runs.outputs',
  summary: "The persisted outputs of a run's finished stages (gate figures, artifact paths)",
  input: z.object({ runId: z.string().min(1) }).strict(),
  output: z.object({ runId: z.string(), outputs: z.record(z.string(), z.unknown()) }),
  http: { method: 'GET', path: '/runs/:runId/outputs' },
});
