import { z } from 'zod';
import { defineOperation } from './operation.ts';

export const ReleaseStrategy = z.enum(['canary', 'blue-green']);
export const ReleasePhase = z.enum([
  'progressing',
  'paused',
  'rolling-back',
  'promoted',
  'rolled-back',
  'aborted',
  'blocked',
]);
export const ReleaseControlAction = z.enum(['promote', 'pause', 'resume', 'abort']);

const environment = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'an environment name such as prod');

/** A release as the API and UI see it: where its traffic is and every decision taken. */
export const ReleaseInfo = z.object({
  releaseId: z.string(),
  projectId: z.string(),
  runId: z.string().nullable(),
  environment: z.string(),
  version: z.string(),
  stableVersion: z.string().nullable(),
  strategy: ReleaseStrategy,
  phase: ReleasePhase,
  trafficPercent: z.number(),
  step: z.object({ index: z.number().int(), of: z.number().int(), percent: z.number() }),
  riskScore: z.number().nullable(),
  rollbackReason: z.string().nullable(),
  migration: z.object({ forwardOnly: z.boolean(), schemaReversed: z.boolean() }).nullable(),
  hotfixBranch: z.string().nullable(),
  samples: z.number().int(),
  decisions: z.array(
    z.object({
      step: z.number().int(),
      at: z.string(),
      action: z.string(),
      reason: z.string(),
    }),
  ),
  /** Where clients reach the environment (the router's frontend), when the target has one. */
  url: z.string().nullable(),
});
export type ReleaseInfo = z.infer<typeof ReleaseInfo>;

export const releasesCreate = defineOperation({
  name: 'releases.create',
  summary: 'Release a version with canary (1 → 5 → 25 → 100%) or blue/green',
  input: z
    .object({
      projectId: z.string().min(1),
      version: z.string().min(1),
      /** Image to run; defaults to the one the project's apply run built for this version. */
      image: z.string().min(1).optional(),
      environment: environment.default('prod'),
      strategy: ReleaseStrategy.default('canary'),
      steps: z
        .array(z.number().int().min(1).max(100))
        .min(1)
        .refine((steps) => steps.every((s, i) => i === 0 || s > steps[i - 1]!), {
          message: 'steps must increase, e.g. 1,5,25,100',
        })
        .optional(),
      analysisWindowSeconds: z.number().int().min(1).max(3600).optional(),
      /** People who approved this release for its environment (the policy gate counts them). */
      approvals: z.array(z.string().min(1)).default([]),
    })
    .strict(),
  output: z.object({ releaseId: z.string(), runId: z.string() }),
  http: { method: 'POST', path: '/projects/:projectId/releases' },
  issue: 9,
});

export const releasesGet = defineOperation({
  name: 'releases.get',
  summary: 'A release: phase, traffic split, risk, and every analysis decision',
  input: z.object({ releaseId: z.string().min(1) }).strict(),
  output: ReleaseInfo,
  http: { method: 'GET', path: '/releases/:releaseId' },
  issue: 9,
});

export const releasesList = defineOperation({
  name: 'releases.list',
  summary: 'Releases of a project, newest first',
  input: z
    .object({
      projectId: z.string().min(1),
      environment: environment.optional(),
      limit: z.number().int().min(1).max(500).default(20),
    })
    .strict(),
  output: z.object({ releases: z.array(ReleaseInfo) }),
  http: { method: 'GET', path: '/projects/:projectId/releases' },
  issue: 9,
});

export const releasesControl = defineOperation({
  name: 'releases.control',
  summary: 'Promote now, pause, resume or abort a release in progress',
  input: z
    .object({
      releaseId: z.string().min(1),
      action: ReleaseControlAction,
      reason: z.string().min(1).max(2000).optional(),
    })
    .strict(),
  output: ReleaseInfo,
  http: { method: 'POST', path: '/releases/:releaseId/control' },
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
