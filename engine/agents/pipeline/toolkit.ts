/**
 * The apply run's effects (issue 10), one method per stage. The run owns ordering, idempotency
 * keys and gate decisions; a toolkit owns how each step reaches the real world. The local
 * toolkit drives the local Docker Engine; a Kubernetes or CI runner toolkit implements the same.
 */
import { z } from 'zod';
import { Decision } from '../../policy/gates/decision.ts';
import { VulnInput, type GateInput } from '../../policy/gates/input.ts';
import type { ApplyInput } from './apply-input.ts';

export interface StepContext {
  projectId: string;
  runId: string;
  input: ApplyInput;
  signal: AbortSignal;
  /** One line of progress for the live view (never a secret: it passes the redactor). */
  progress(message: string): void;
}

/*
 * What each stage records, as schemas: the run checks a stage's output against its schema before
 * it is persisted, and a stage reads its inputs through the same schemas, so a gate never judges
 * a shape it did not expect. Loose objects: a field added by a newer toolkit is kept, not lost.
 */
export const CommitResult = z.looseObject({
  branch: z.string(),
  commit: z.string(),
  pushed: z.boolean(),
  files: z.number(),
});
export type CommitResult = z.infer<typeof CommitResult>;

export const BuildResult = z.looseObject({
  image: z.string(),
  imageId: z.string(),
  baseImage: z.string(),
  /** Which Dockerfile was built (repository-relative), and whether the repository or the plan has it. */
  dockerfile: z.string().optional(),
  /** Its repository-relative path, and the text that was built (before translation). */
  dockerfileFile: z.string().optional(),
  dockerfileText: z.string().optional(),
  dockerfileOrigin: z.enum(['repository', 'plan']).optional(),
  /** The stage built; null for the last one. */
  target: z.string().nullable().optional(),
  /** Every external FROM image and what stood in for it (issue 14). */
  baseImages: z
    .array(
      z.object({
        requested: z.string(),
        image: z.string(),
        source: z.enum(['engine', 'mirror', 'stand-in']),
        actual: z.string().nullable(),
        warnings: z.array(z.string()),
        line: z.string(),
      }),
    )
    .optional(),
  /** What the build changed or noticed: dropped BuildKit flags, missing mirrors, the relay. */
  notes: z.array(z.string()).optional(),
});
export type BuildResult = z.infer<typeof BuildResult>;

export const TestsResult = z.looseObject({
  /** What ran and where: e.g. `npm test` in local/node:base. */
  command: z.string(),
  runner: z.string(),
  exitCode: z.number(),
  passed: z.number().nullable(),
  failed: z.number().nullable(),
  failures: z.array(z.string()),
  /** Line coverage in percent; null when the tests wrote no report we could read. */
  linesPct: z.number().nullable(),
  coverageFormat: z.string().nullable(),
  /** The throwaway databases the tests ran against (and the migrations applied), or null. */
  datastores: z.string().nullable(),
  /** Why no tests ran (none found, none runnable here); coverage then stays unmeasured. */
  skipped: z.string().nullable().optional(),
});
export type TestsResult = z.infer<typeof TestsResult>;

export const SbomResult = z.looseObject({
  /** Where the CycloneDX document was stored, under the data dir. */
  path: z.string(),
  sha256: z.string(),
  format: z.string(),
  components: z.number(),
  problems: z.array(z.string()),
});
export type SbomResult = z.infer<typeof SbomResult>;

export const VulnsResult = z.looseObject({
  /** Null when no vulnerability data has ever been imported: the scan cannot be shown clean. */
  findings: z.array(VulnInput).nullable(),
  advisoriesKnown: z.number(),
  undetermined: z.number(),
});
export type VulnsResult = z.infer<typeof VulnsResult>;

export const ScanResult = z.looseObject({
  scanner: z.string(),
  findings: z.array(
    z.object({ id: z.string(), severity: z.string(), file: z.string(), title: z.string() }),
  ),
});
export type ScanResult = z.infer<typeof ScanResult>;

export const PerfResult = z.looseObject({
  /** Which load generator produced the figures (k6 when present, else autocannon). */
  generator: z.string(),
  routes: z.array(
    z.looseObject({
      route: z.string(),
      requests: z.number(),
      p95Ms: z.number(),
      errorRate: z.number(),
    }),
  ),
  p95Ms: z.number().nullable(),
  errorRate: z.number().nullable(),
});
export type PerfResult = z.infer<typeof PerfResult>;

export const StagingResult = z.looseObject({
  environment: z.string(),
  url: z.string(),
  version: z.string(),
  /** The backing services started for the environment (`PostgreSQL + Redis`), or null. */
  backing: z.string().nullable().optional(),
  /** Sample values and generated secrets the environment runs with, each with its remedy. */
  warnings: z
    .array(z.object({ subject: z.string(), reason: z.string(), remedy: z.string() }))
    .optional(),
});
export type StagingResult = z.infer<typeof StagingResult>;

export const SmokeResult = z.looseObject({
  checks: z.array(z.object({ path: z.string(), status: z.number(), ok: z.boolean() })),
});
export type SmokeResult = z.infer<typeof SmokeResult>;

/** The policy stage's record: the gate input it built and each pack's decision. */
export const PolicyResult = z.object({
  gateInput: z.unknown(),
  decisions: z.array(Decision.extend({ pack: z.string() })),
});
export type PolicyResult = z.infer<typeof PolicyResult>;

export interface PipelineToolkit {
  commitArtifacts(step: StepContext): Promise<CommitResult>;
  buildImage(step: StepContext): Promise<BuildResult>;
  runTests(step: StepContext, build: BuildResult): Promise<TestsResult>;
  generateSbom(step: StepContext, build: BuildResult): Promise<SbomResult>;
  scanVulnerabilities(step: StepContext, sbom: SbomResult): Promise<VulnsResult>;
  scanConfiguration(step: StepContext, build: BuildResult): Promise<ScanResult>;
  measurePerformance(step: StepContext, build: BuildResult): Promise<PerfResult>;
  /** Waivers in force and freeze windows of the environment, read when the gate runs. */
  policyContext(
    step: StepContext,
  ): Promise<{ waivers: GateInput['waivers']; freezeWindows: GateInput['freezeWindows'] }>;
  evaluatePolicy(step: StepContext, input: GateInput): Promise<Array<{ pack: string } & Decision>>;
  deployStaging(step: StepContext, build: BuildResult): Promise<StagingResult>;
  smoke(step: StepContext, staging: StagingResult): Promise<SmokeResult>;
  now(): Date;
}
