/**
 * The shapes a blueprint plan is made of (issue 7). A Plan is what the Review step shows and what
 * approval signs: every artifact with its diff against the repository, and the summaries whose
 * canonical listing is hashed into `planHash`.
 */
import type { BlueprintInputs } from '../../api/blueprints.contract.ts';

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
  lines: CostLine[];
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

export interface PlanSummary {
  target: string;
  region: string;
  environments: string[];
  services: string[];
  infra: InfraSummary;
  cost: CostEstimate;
  policy: PolicyProfile;
  timeToReady: TimeToReady;
  /** Choices the target cannot honour, said plainly instead of silently dropped. */
  notes: string[];
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
  /** The resources of the blueprint this one supersedes, for add / change / destroy. */
  previous?: { resources: InfraResource[] } | undefined;
  /** Templates directory; the product's own `templates/` when omitted. */
  templatesDir?: string | undefined;
}
