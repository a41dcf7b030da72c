import { z } from 'zod';
import { defineOperation } from './operation.ts';

export const ReleaseStrategy = z.enum(['canary', 'blue-green']);

export const releasesCreate = defineOperation({
  name: 'releases.create',
  summary: 'Release a version with canary (1 → 5 → 25 → 100%) or blue/green',
  input: z
    .object({
      projectId: z.string().min(1),
      version: z.string().min(1),
      environment: z.enum(['staging', 'prod']).default('prod'),
      strategy: ReleaseStrategy.default('canary'),
      steps: z.array(z.number().int().min(1).max(100)).optional(),
    })
    .strict(),
  output: z.object({ releaseId: z.string(), runId: z.string() }),
  http: { method: 'POST', path: '/projects/:projectId/releases' },
  issue: 9,
});

export const releasesRollback = defineOperation({
  name: 'releases.rollback',
  summary: 'Move traffic back to the last known good version, then stop the bad one',
  input: z.object({ releaseId: z.string().min(1), reason: z.string().min(1).max(2000) }).strict(),
  output: z.object({ runId: z.string() }),
  http: { method: 'POST', path: '/releases/:releaseId/rollback' },
  issue: 9,
});
