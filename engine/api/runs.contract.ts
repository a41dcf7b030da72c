import { z } from 'zod';
import { defineOperation } from './operation.ts';

export const RunStatus = z.enum(['pending', 'running', 'done', 'error', 'blocked', 'cancelled']);

export const RunInfo = z.object({
  runId: z.string(),
  projectId: z.string(),
  kind: z.enum(['import', 'blueprint', 'apply', 'release', 'rollback']),
  status: RunStatus,
  stage: z.string().nullable(),
  reason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  stages: z.array(z.object({ name: z.string(), status: z.string(), attempt: z.number().int() })),
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

export const runsGet = defineOperation({
  name: 'runs.get',
  summary: 'A run, its stages and their states',
  input: z.object({ runId: z.string().min(1) }).strict(),
  output: RunInfo,
  http: { method: 'GET', path: '/runs/:runId' },
  issue: 3,
});

export const runsEvents = defineOperation({
  name: 'runs.events',
  summary: 'Events of a run after a cursor (late subscribers replay from here)',
  input: z
    .object({ runId: z.string().min(1), after: z.coerce.number().int().min(0).default(0) })
    .strict(),
  output: z.object({ events: z.array(RunEvent), next: z.number().int() }),
  http: { method: 'GET', path: '/runs/:runId/events' },
  issue: 3,
});
