/**
 * Sprints (issue 16): the main job as one run of the engine, which any client (CLI, HTTP, the
 * desktop app) starts, follows, approves and cancels the same way.
 */
import { z } from 'zod';
import { defineOperation } from './operation.ts';
import { RunStatus, StageInfo } from './runs.contract.ts';

const Warning = z.object({ subject: z.string(), reason: z.string(), remedy: z.string() });

/** What a sprint ends with: the summary a person acts on, and CI archives as JSON. */
export const SprintSummary = z.object({
  projectId: z.string(),
  blueprintId: z.string(),
  planHash: z.string(),
  approvalId: z.string(),
  selfApproved: z.boolean(),
  version: z.string(),
  branch: z.string(),
  applyRunId: z.string(),
  outcome: z.enum(['promoted', 'blocked', 'rolled-back', 'failed']),
  blockedAt: z
    .object({ stage: z.string(), reason: z.string(), remedy: z.string().nullable() })
    .nullable(),
  gates: z.array(
    z.object({
      gate: z.string(),
      status: z.enum(['passed', 'blocked', 'not run']),
      figures: z.string(),
    }),
  ),
  releaseId: z.string().nullable(),
  releasePhase: z.string().nullable(),
  /** How prod took the version: the canary's analysed steps, or a first release's one switch. */
  rollout: z
    .object({
      /** The version that served prod before; null for a first release. */
      fromVersion: z.string().nullable(),
      /** Traffic steps the plan had (1 for a first release: nothing to split traffic with). */
      steps: z.number().int(),
      /** One per analysis window: `next` (healthy), `hold` (inconclusive) or `rollback`. */
      decisions: z.array(z.object({ step: z.number(), action: z.string(), reason: z.string() })),
    })
    .nullable(),
  timeToStagingSeconds: z.number().nullable(),
  /** When the first canary step took real traffic in prod (the seed SLO's "canary start"). */
  timeToCanaryStartSeconds: z.number().nullable(),
  /** When the release was promoted to 100%. */
  timeToProdSeconds: z.number().nullable(),
  syntheticTraffic: z
    .object({ requests: z.number(), failures: z.number(), connectionErrors: z.number() })
    .nullable(),
  artifactsDir: z.string(),
  sbomPath: z.string().nullable(),
  bundle: z.object({ path: z.string(), verified: z.boolean(), entries: z.number() }).nullable(),
  /** What the sprint went ahead without but a person should fix, each with its remedy. */
  warnings: z.array(Warning),
});

export type SprintSummary = z.infer<typeof SprintSummary>;
export type Rollout = NonNullable<SprintSummary['rollout']>;
export type Gate = SprintSummary['gates'][number];

/**
 * Where a sprint is, in a person's words: `awaiting-approval` while its plan waits for a signed
 * approval (or for answers to its questions); the last four are its outcomes.
 */
export const SprintPhase = z.enum([
  'queued',
  'planning',
  'awaiting-approval',
  'applying',
  'releasing',
  'recording-evidence',
  'promoted',
  'blocked',
  'rolled-back',
  'failed',
  'cancelled',
]);

export const SprintInfo = z.object({
  sprintId: z.string(),
  projectId: z.string(),
  status: RunStatus,
  phase: SprintPhase,
  /** The plan waiting for a person's approval, while the phase is awaiting-approval. */
  awaitingApproval: z
    .object({
      blueprintId: z.string(),
      planHash: z.string(),
      /** Plan questions without an answer: answered in a new plan before approving. */
      openQuestions: z.array(z.string()),
    })
    .nullable(),
  stage: z.string().nullable(),
  reason: z.string().nullable(),
  stages: z.array(StageInfo),
  /** The runs the sprint started, as soon as it has started them (follow them for detail). */
  children: z.object({
    applyRunId: z.string().nullable(),
    releaseId: z.string().nullable(),
    releaseRunId: z.string().nullable(),
  }),
  /** Set once the sprint has recorded its evidence (whatever its outcome). */
  summary: SprintSummary.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type SprintInfo = z.infer<typeof SprintInfo>;

/** How a sprint runs: the input of its run, as `sprints.start` takes it besides the source. */
export const SprintOptions = z
  .object({
    target: z.literal('docker').default('docker'),
    /** The person starting the sprint approves its plan; recorded as a self-approval. */
    selfApprove: z.boolean().default(false),
    /** Answers to plan questions by id (`api.port`). */
    answers: z.record(z.string(), z.string()).default({}),
    /** An OSV export to import before the vulnerability gate. */
    osv: z.string().min(1).optional(),
    costCeilingMonthly: z.number().positive().default(500),
    /** The canary's analysis window per step. */
    windowSeconds: z.number().positive().max(3600).default(5),
    /** Load per perf route. */
    perfSeconds: z.number().int().min(1).max(600).default(5),
    /** Where to write the audit bundle; default: the data dir's bundles folder. */
    bundle: z.string().min(1).optional(),
  })
  .strict();

export const sprintsStart = defineOperation({
  name: 'sprints.start',
  summary:
    'Start the main job: import (or sync) the repository, plan, wait for approval, apply behind gates, canary to prod, record evidence',
  input: SprintOptions.extend({
    /** A Git URL or a local repository path; a project of the same repository is synced and reused. */
    source: z.string().min(1),
    name: z.string().min(1).max(63).optional(),
    credentialRef: z
      .string()
      .regex(/^env:[A-Za-z_][A-Za-z0-9_]*$/, 'env:NAME')
      .optional(),
  }).strict(),
  output: SprintInfo.extend({
    /** How the repository was had: a new import, or a sync of the project that already had it. */
    project: z.object({
      name: z.string(),
      imported: z.boolean(),
      commit: z.string(),
      previousCommit: z.string().nullable(),
      services: z.number().int(),
      gaps: z.number().int(),
    }),
  }),
  http: { method: 'POST', path: '/sprints' },
  issue: 16,
});

export const sprintsGet = defineOperation({
  name: 'sprints.get',
  summary: 'A sprint: its phase, stages, the plan awaiting approval, and its summary once recorded',
  input: z.object({ sprintId: z.string().min(1) }).strict(),
  output: SprintInfo,
  http: { method: 'GET', path: '/sprints/:sprintId' },
  issue: 16,
});

export const sprintsList = defineOperation({
  name: 'sprints.list',
  summary: 'Sprints, newest first, filtered by project or run status',
  input: z
    .object({
      projectId: z.string().min(1).optional(),
      status: RunStatus.optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(50),
    })
    .strict(),
  output: z.object({ sprints: z.array(SprintInfo) }),
  http: { method: 'GET', path: '/sprints' },
  issue: 16,
});

export const sprintsCancel = defineOperation({
  name: 'sprints.cancel',
  summary: 'Cancel a sprint; a release in flight is left to its own controls (rollback, abort)',
  input: z
    .object({
      sprintId: z.string().min(1),
      reason: z.string().min(1).max(2000).default('cancelled by operator'),
    })
    .strict(),
  output: SprintInfo,
  http: { method: 'POST', path: '/sprints/:sprintId/cancel' },
  issue: 16,
});
