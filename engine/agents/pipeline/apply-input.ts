/**
 * What an apply run is asked to do (issue 10): an approved blueprint taken through the commit,
 * build, gate and staging stages. Functions (docker, environments) cannot live in a persisted
 * input: they come from the toolkit the run is defined with.
 */
import { z } from 'zod';
import type { HealthCheck } from '../../targets/health-check.ts';

export const approvalRecord = z.object({
  who: z.string().min(1),
  role: z.string().min(1),
  at: z.string().min(1),
});

export const applyInputSchema = z.object({
  blueprintId: z.string().min(1),
  /** The plan hash the approval signed; the run refuses a blueprint whose hash moved since. */
  planHash: z.string().min(1),
  /** The version the image is tagged with: the imported commit, shortened. */
  version: z.string().min(1),
  /** Branch the generated artifacts are committed to. */
  branch: z.string().min(1),
  service: z.object({
    name: z.string().min(1),
    /** Service directory relative to the repository root ("" for the root). */
    path: z.string(),
    port: z.number().int().min(1).max(65535),
    healthPath: z.string().startsWith('/'),
    /**
     * How health is judged (engine/targets/health-check.ts). Absent in runs queued before issue
     * 14, which always had an HTTP route: healthCheckOf() reads those as `http`.
     */
    health: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('http'), path: z.string().startsWith('/') }),
        z.object({ kind: z.literal('tcp'), path: z.string().startsWith('/') }),
      ])
      .optional(),
  }),
  coverageMin: z.number().min(0).max(100).nullable(),
  perfBudget: z.object({ p95Ms: z.number().positive(), errorRate: z.number().min(0).max(1) }),
  perfLoad: z
    .object({
      durationSeconds: z.number().int().min(1).max(600),
      connections: z.number().int().min(1).max(1000),
    })
    .default({ durationSeconds: 5, connections: 10 }),
  cost: z.object({
    monthly: z.number().min(0).nullable(),
    ceiling: z.number().min(0).nullable(),
    currency: z.string().min(1),
  }),
  approvals: z.array(approvalRecord).min(1),
  /** Policy packs the gate evaluates, in order; every one must allow. */
  packs: z.array(z.string().min(1)).min(1),
  stagingEnvironment: z.string().min(1).default('staging'),
});

export type ApplyInput = z.output<typeof applyInputSchema>;

/** The service's health check, reading runs queued before issue 14 as an HTTP route check. */
export function healthCheckOf(service: ApplyInput['service']): HealthCheck {
  return service.health ?? { kind: 'http', path: service.healthPath };
}
export type ApplyRequest = z.input<typeof applyInputSchema>;
export type ApprovalRecord = z.infer<typeof approvalRecord>;
