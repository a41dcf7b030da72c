// The gate input document (issue 6): everything a policy pack may look at, built from project
// state before a gate runs. Documented field by field in INPUT.md; keep the two in step.
// Missing measurements are `null`, never omitted, so a pack can deny on "not measured" (fail
// closed, invariant 5) instead of a rule silently being undefined.
import { z } from 'zod';

const Instant = z.iso.datetime({ offset: true });

export const Severity = z.enum(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN']);

export const CoverageInput = z.object({
  /** Line coverage in percent (0-100); null when no coverage report was produced. */
  linesPct: z.number().min(0).max(100).nullable(),
  /** Minimum line coverage in percent; null means the pack's default applies. */
  threshold: z.number().min(0).max(100).nullable(),
  /** Where the threshold comes from: the project's settings or the pack's data.json. */
  thresholdSource: z.enum(['project', 'pack']),
});

export const SbomInput = z.object({
  present: z.boolean(),
  format: z.string().nullable(),
  components: z.number().int().min(0),
});

export const VulnInput = z.object({
  id: z.string().min(1),
  severity: Severity,
  package: z.string().min(1),
  installed: z.string().nullable(),
  /** First fixed version; null when no fix exists. */
  fixed: z.string().nullable(),
});

export const PerfInput = z.object({
  p95Ms: z.number().min(0).nullable(),
  /** Failed requests / all requests, 0-1. */
  errorRate: z.number().min(0).max(1).nullable(),
  budget: z.object({ p95Ms: z.number().min(0), errorRate: z.number().min(0).max(1) }),
});

export const CostInput = z.object({
  monthly: z.number().min(0).nullable(),
  ceiling: z.number().min(0).nullable(),
  currency: z.string().min(1),
});

export const ApprovalInput = z.object({
  who: z.string().min(1),
  role: z.string().min(1),
  at: Instant,
});

export const FreezeWindowInput = z.object({ from: Instant, to: Instant, reason: z.string() });

export const ChangeInput = z.object({
  /** Ticket / change-request reference (e.g. "CHG-1234"); null when none was given. */
  reference: z.string().min(1).nullable(),
  /** Who authored the change: two-person rules exclude them from the approvers. */
  author: z.string().min(1).nullable(),
});

export const WaiverInput = z.object({
  /** The deny rule id it waives, e.g. "baseline.vulns". */
  rule: z.string().min(1),
  /** The deny subject it waives (e.g. a CVE id), or "*" for every subject of the rule. */
  subject: z.string().min(1),
  expiresAt: Instant,
  approver: z.string().min(1),
  reason: z.string(),
});

export const AuditInput = z.object({
  /** How long the audit chain is kept, in days; null when not configured. */
  retentionDays: z.number().int().min(0).nullable(),
  signed: z.boolean(),
});

export const IacDataStore = z.object({
  address: z.string().min(1),
  kind: z.string().min(1),
  encryptedAtRest: z.boolean().nullable(),
  publiclyAccessible: z.boolean().nullable(),
});

export const IacEndpoint = z.object({
  address: z.string().min(1),
  tls: z.boolean().nullable(),
  minTlsVersion: z.string().nullable(),
});

/** What the IaC agent found in the generated/imported infrastructure code. */
export const IacInput = z.object({
  dataStores: z.array(IacDataStore),
  endpoints: z.array(IacEndpoint),
  logRetentionDays: z.number().int().min(0).nullable(),
});

/** What the configuration scanner (Trivy config) found in the Dockerfile and manifests. */
export const ConfigScanInput = z.object({
  scanner: z.string(),
  findings: z.array(
    z.object({ id: z.string(), severity: z.string(), file: z.string(), title: z.string() }),
  ),
});

export const GateInput = z.object({
  /** When the gate runs; packs read the clock only from here so decisions replay. */
  time: Instant,
  environment: z.string().min(1),
  change: ChangeInput,
  coverage: CoverageInput,
  sbom: SbomInput,
  /** Vulnerabilities from the scan; null when no scan result exists. */
  vulns: z.array(VulnInput).nullable(),
  /** Performance results; null when no perf run exists. */
  perf: PerfInput.nullable(),
  cost: CostInput,
  approvals: z.array(ApprovalInput),
  freezeWindows: z.array(FreezeWindowInput),
  waivers: z.array(WaiverInput),
  audit: AuditInput,
  /** Infrastructure summary; null when the project has no IaC. */
  iac: IacInput.nullable(),
  /**
   * Misconfigurations of the build (Dockerfile, manifests); null when no scan ran. Absent in
   * documents written before the scan reached the gate (issue 14); packs treat both as unscanned.
   */
  config: ConfigScanInput.nullable().optional(),
});

export type GateInput = z.infer<typeof GateInput>;
export type Waiver = z.infer<typeof WaiverInput>;
