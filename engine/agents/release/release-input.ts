/**
 * What a release run is asked to do (issue 9), validated at submission. Functions (the target,
 * the policy gate) cannot live in a persisted input: they come from `ReleaseAgentOptions`.
 */
import { z } from 'zod';

export const thresholdsSchema = z.object({
  maxErrorRate: z.number().min(0).max(1),
  maxP95Seconds: z.number().positive(),
  minRequests: z.number().int().min(1),
});

export const releaseInputSchema = z.object({
  environment: z.string().min(1),
  version: z.string().min(1),
  image: z.string().min(1),
  env: z.record(z.string(), z.string()).optional(),
  replicas: z.number().int().min(1).optional(),
  /** The version serving traffic now (last known good); none for a first release. */
  stableVersion: z.string().min(1).optional(),
  strategy: z.enum(['canary', 'blue-green']).default('canary'),
  /** Canary weights of the new version, in percent, ending at 100. */
  steps: z.array(z.number().int().min(1).max(100)).min(1).default([1, 5, 25, 100]),
  /** Length of each analysis window, and the pause after a traffic change before it counts. */
  analysisWindowSeconds: z.number().int().min(1).default(60),
  settleSeconds: z.number().min(0).default(2),
  /** Inconclusive windows in a row before failing closed with a rollback. */
  maxInconclusive: z.number().int().min(1).default(3),
  /** From the policy and perf budgets. */
  thresholds: thresholdsSchema,
  /** A forward-only schema migration: rollback moves traffic but never reverses the schema. */
  migration: z.object({ forwardOnly: z.boolean(), id: z.string().optional() }).optional(),
  risk: z
    .object({
      linesChanged: z.number().int().min(0).optional(),
      recentFailures: z.number().int().min(0).optional(),
    })
    .default({}),
  /** Approvals already given, passed to the policy gate. */
  approvals: z
    .array(
      z.object({
        environment: z.string(),
        by: z.string(),
        role: z.string().min(1).optional(),
        /** RFC 3339; the gate's time when absent. */
        at: z.iso.datetime({ offset: true }).optional(),
      }),
    )
    .default([]),
});

export type ReleaseInput = z.output<typeof releaseInputSchema>;
export type ReleaseRequest = z.input<typeof releaseInputSchema>;

export const rollbackInputSchema = z.object({
  releaseId: z.string().min(1),
  reason: z.string().min(1).default('manual rollback'),
});
export type RollbackInput = z.output<typeof rollbackInputSchema>;
