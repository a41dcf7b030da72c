import { z } from 'zod';
import { defineOperation } from './operation.ts';

export const readinessGet = defineOperation({
  name: 'readiness.get',
  summary: 'How ready a project is for production: gates, gaps and their remedies',
  input: z.object({ projectId: z.string().min(1) }).strict(),
  output: z.object({
    projectId: z.string(),
    score: z.number().min(0).max(100),
    checks: z.array(
      z.object({
        id: z.string(),
        status: z.enum(['pass', 'fail', 'unknown']),
        detail: z.string(),
        remedy: z.string().optional(),
      }),
    ),
  }),
  http: { method: 'GET', path: '/projects/:projectId/readiness' },
  // Not in any issue yet: the tour and the not-implemented Problem say so.
});
