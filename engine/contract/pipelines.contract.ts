import { z } from 'zod';
import { defineOperation } from './operation.ts';

export const pipelinesApply = defineOperation({
  name: 'pipelines.apply',
  summary:
    'Apply an approved blueprint: artifacts to a branch, image build, gates, staging and smoke',
  input: z
    .object({
      projectId: z.string().min(1),
      blueprintId: z.string().min(1),
      /** The approval `blueprints.approve` recorded: its signature over the plan hash is checked. */
      approvalId: z.string().min(1),
      /** Load per perf route; the defaults suit a local target. */
      perfLoad: z
        .object({
          durationSeconds: z.number().int().min(1).max(600),
          connections: z.number().int().min(1).max(1000),
        })
        .optional(),
    })
    .strict(),
  output: z.object({
    runId: z.string(),
    version: z.string(),
    branch: z.string(),
    /** What the apply goes ahead without but a person should fix (e.g. no health route). */
    warnings: z.array(z.object({ subject: z.string(), reason: z.string(), remedy: z.string() })),
  }),
  http: { method: 'POST', path: '/projects/:projectId/apply' },
  issue: 10,
});
