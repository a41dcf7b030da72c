import { z } from 'zod';
import { defineOperation } from './operation.ts';

export const DeployTarget = z.enum([
  'kubernetes',
  'docker',
  'render',
  'vercel',
  'cloudrun',
  'gke',
  'ecs',
  'eks',
]);

/** Built-in policy packs (policies/); an unknown name is refused here, not at gate time. */
export const PolicyPack = z.enum(['baseline', 'soc2', 'hipaa']);

const hostname = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?(:\d{1,5})?$/i,
    'a host name such as registry.internal',
  );

/**
 * Where an air-gapped installation keeps its copies of the outside world. Generated CI, IaC and
 * Dockerfiles point only here, never at public registries (ARCHITECTURE.md invariant 8).
 */
export const MirrorSettings = z
  .object({
    registry: hostname.default('registry.internal'),
    /** Base URL of the package and provider mirror (npm, PyPI, Go, Maven, Terraform providers). */
    packages: z.url({ protocol: /^https$/ }).default('https://mirror.internal'),
    /** Base URL of the Terraform http state backend. */
    state: z.url({ protocol: /^https$/ }).default('https://state.internal/terraform'),
  })
  .strict();
export type MirrorSettings = z.infer<typeof MirrorSettings>;

/** The choices a user makes in the wizard; issue 7 owns their full meaning. */
export const BlueprintInputs = z
  .object({
    target: DeployTarget,
    /** Catalog region of the target (templates/catalog); defaults to the catalog's first. */
    region: z.string().min(1).optional(),
    db: z
      .object({ engine: z.literal('postgres'), version: z.string().regex(/^\d+(\.\d+)?$/) })
      .optional(),
    cache: z.object({ engine: z.literal('redis') }).optional(),
    cdnWaf: z.boolean().default(false),
    dnsDomain: z
      .string()
      .regex(
        /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i,
        'a DNS name such as app.example.com',
      )
      .optional(),
    tls: z.boolean().default(true),
    /** platform: the target's own secret manager (Vault where it has none); vault: Vault everywhere. */
    secrets: z.enum(['platform', 'vault']).default('platform'),
    environments: z
      .array(z.enum(['staging', 'prod']))
      .min(1)
      .default(['staging', 'prod']),
    policies: z
      .object({
        coverageMin: z.number().min(0).max(100).optional(),
        sbom: z.boolean().default(true),
        perfBudgets: z
          .object({ p95Ms: z.number().positive(), errorRate: z.number().min(0).max(1) })
          .optional(),
        packs: z.array(PolicyPack).min(1).default(['baseline']),
      })
      .default({ sbom: true, packs: ['baseline'] }),
    approvals: z.array(z.string().min(1)).default([]),
    costCeilingMonthly: z.number().nonnegative('a cost ceiling cannot be negative').optional(),
    /** canary: Argo Rollouts 1/5/25/100 with analysis; rolling: a plain Deployment. */
    strategy: z.enum(['canary', 'rolling']).default('canary'),
    /**
     * Answers to the plan's questions (what the auditor could not infer with confidence), by
     * question id, e.g. {"api.port": "8080"}; a plan with an open question cannot be approved.
     */
    answers: z
      .record(
        z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'a question id such as api.port'),
        z.string().min(1),
      )
      .default({}),
    mirror: MirrorSettings.default({
      registry: 'registry.internal',
      packages: 'https://mirror.internal',
      state: 'https://state.internal/terraform',
    }),
  })
  .strict();
export type BlueprintInputs = z.infer<typeof BlueprintInputs>;

const PlannedArtifactInfo = z.object({
  path: z.string(),
  sha256: z.string(),
  size: z.number().int().nonnegative(),
  change: z.enum(['new', 'changed', 'unchanged']),
});

/**
 * The plan's summary (infra add/change/destroy, cost with the catalog's date, policy profile,
 * time to ready, notes) as the blueprint agent writes it; versioned with the plan hash.
 */
export const PlanSummaryDocument = z.looseObject({
  target: z.string(),
  region: z.string(),
  environments: z.array(z.string()),
  services: z.array(z.string()),
  notes: z.array(z.string()),
});

const BlueprintInfo = z.object({
  blueprintId: z.string(),
  projectId: z.string(),
  version: z.number().int(),
  status: z.enum(['draft', 'approved', 'applied', 'superseded']),
  /** sha256 over the canonical plan: what an approval signs. */
  planHash: z.string(),
  inputs: BlueprintInputs,
  summary: PlanSummaryDocument,
  artifacts: z.array(PlannedArtifactInfo),
  /** Where the rendered artifacts were kept (the data dir's artifacts folder). */
  artifactsDir: z.string(),
});

export const blueprintsGenerate = defineOperation({
  name: 'blueprints.generate',
  summary:
    'Propose the plan (IaC, CI/CD, tests, security, perf, observability, release, cost); writes nothing to the repo',
  input: z
    .object({
      projectId: z.string().min(1),
      inputs: BlueprintInputs,
      /** Also copy the rendered artifacts here, laid out as they would be in the repository. */
      outDir: z.string().min(1).optional(),
    })
    .strict(),
  output: BlueprintInfo.extend({
    /** Unified diffs against the repository's current files, for new and changed artifacts. */
    diffs: z.array(z.object({ path: z.string(), diff: z.string() })),
  }),
  http: { method: 'POST', path: '/projects/:projectId/blueprints' },
});

export const blueprintsGet = defineOperation({
  name: 'blueprints.get',
  summary: 'A blueprint with its artifacts, cost estimate and plan hash',
  input: z.object({ blueprintId: z.string().min(1) }).strict(),
  output: BlueprintInfo,
  http: { method: 'GET', path: '/blueprints/:blueprintId' },
});

export const blueprintsApprove = defineOperation({
  name: 'blueprints.approve',
  summary: 'Approve a blueprint: sign its plan hash with this workstation’s key (audited)',
  input: z
    .object({
      blueprintId: z.string().min(1),
      /** The hash the approver reviewed; refused when the blueprint's hash differs. */
      planHash: z.string().regex(/^[0-9a-f]{64}$/, 'a 64-digit hex plan hash'),
      /**
       * The approver is also the author of the change (a person approving their own plan, e.g.
       * `--yes-i-approve`). It is recorded as such in the audit chain; packs with a two-person
       * rule refuse it.
       */
      selfApproval: z.boolean().default(false),
      role: z.string().min(1).max(64).default('release-manager'),
    })
    .strict(),
  output: z.object({
    approvalId: z.string(),
    blueprintId: z.string(),
    planHash: z.string(),
    approver: z.string(),
    keyId: z.string(),
    signature: z.string(),
    selfApproval: z.boolean(),
    at: z.string(),
  }),
  http: { method: 'POST', path: '/blueprints/:blueprintId/approve' },
  issue: 10,
});
