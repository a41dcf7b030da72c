import { z } from 'zod';
import { defineOperation } from './operation.ts';

export const pipelinesApply = defineOperation({
  name: 'pipelines.apply',
  summary: 'Apply an approved blueprint: artifacts to a branch, infrastructure, image, gates',
  input: z
    .object({
      projectId: z.string().min(1),
      blueprintId: z.string().min(1),
      /** The approval: an operator key's signature over the plan hash. */
      approval: z.object({
        planHash: z.string().min(1),
        keyId: z.string().min(1),
        signature: z.string().min(1),
      }),
    })
    .strict(),
  output: z.object({ runId: z.string() }),
  http: { method: 'POST', path: '/projects/:projectId/apply' },
  issue: 10,
});
