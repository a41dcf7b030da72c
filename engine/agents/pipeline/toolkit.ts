/**
 * The apply run's effects (issue 10), one method per stage. The run owns ordering, idempotency
 * keys and gate decisions; a toolkit owns how each step reaches the real world. The local
 * toolkit drives the local Docker Engine; a Kubernetes or CI runner toolkit implements the same.
 */
import type { Decision } from '../../policy/gates/decision.ts';
import type { GateInput } from '../../policy/gates/input.ts';
import type { ApplyInput } from './apply-input.ts';

export interface StepContext {
  projectId: string;
  runId: string;
  input: ApplyInput;
  signal: AbortSignal;
  /** One line of progress for the live view (never a secret: it passes the redactor). */
  progress(message: string): void;
}

export interface CommitResult {
  branch: string;
  commit: string;
  pushed: boolean;
  files: number;
}

export interface BuildResult {
  image: string;
  imageId: string;
  baseImage: string;
  /** Which Dockerfile was built (repository-relative), and whether the repository or the plan has it. */
  dockerfile?: string;
  /** Its repository-relative path, and the text that was built (before translation). */
  dockerfileFile?: string;
  dockerfileText?: string;
  dockerfileOrigin?: 'repository' | 'plan';
  /** The stage built; null for the last one. */
  target?: string | null;
  /** Every external FROM image and what stood in for it (issue 14). */
  baseImages?: Array<{
    requested: string;
    image: string;
    source: 'engine' | 'mirror' | 'stand-in';
    actual: string | null;
    warnings: string[];
    line: string;
  }>;
  /** What the build changed or noticed: dropped BuildKit flags, missing mirrors, the relay. */
  notes?: string[];
}

export interface TestsResult {
  /** What ran and where: e.g. `npm test` in local/node:base. */
  command: string;
  runner: string;
  exitCode: number;
  passed: number | null;
  failed: number | null;
  failures: string[];
  /** Line coverage in percent; null when the tests wrote no report we could read. */
  linesPct: number | null;
  coverageFormat: string | null;
  /** The throwaway databases the tests ran against (and the migrations applied), or null. */
  datastores: string | null;
  /** Why no tests ran (none found, none runnable here); coverage then stays unmeasured. */
  skipped?: string | null;
}

export interface SbomResult {
  /** Where the CycloneDX document was stored, under the data dir. */
  path: string;
  sha256: string;
  format: string;
  components: number;
  problems: string[];
}

export interface VulnsResult {
  /** Null when no vulnerability data has ever been imported: the scan cannot be shown clean. */
  findings: GateInput['vulns'];
  advisoriesKnown: number;
  undetermined: number;
}

export interface ScanResult {
  scanner: string;
  findings: Array<{ id: string; severity: string; file: string; title: string }>;
}

export interface PerfResult {
  /** Which load generator produced the figures (k6 when present, else autocannon). */
  generator: string;
  routes: Array<{ route: string; requests: number; p95Ms: number; errorRate: number }>;
  p95Ms: number | null;
  errorRate: number | null;
}

export interface StagingResult {
  environment: string;
  url: string;
  version: string;
  /** The backing services started for the environment (`PostgreSQL + Redis`), or null. */
  backing?: string | null;
  /** Sample values and generated secrets the environment runs with, each with its remedy. */
  warnings?: Array<{ subject: string; reason: string; remedy: string }>;
}

export interface SmokeResult {
  checks: Array<{ path: string; status: number; ok: boolean }>;
}

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
