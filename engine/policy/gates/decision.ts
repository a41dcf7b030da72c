// A gate decision (issue 6): allow plus every deny the pack produced. Waived denies stay in the
// list, marked, so the audit entry shows what was let through and under whose waiver. Warnings
// (a pack's optional `warn` set, the conftest convention) never block; they are what a person
// should see before the next environment, e.g. coverage below the threshold on staging, which
// the same pack denies for prod (issue 14).
import { z } from 'zod';

export const DenySeverity = z.enum(['critical', 'high', 'medium', 'low']);

export const DenyItem = z.object({
  /** Stable rule id, e.g. "baseline.vulns"; waivers name it. */
  rule: z.string(),
  /** What the rule denied (a CVE id, a data store address, ...); "" when the rule has none. */
  subject: z.string(),
  message: z.string(),
  severity: DenySeverity,
  remediation: z.string(),
  /** The waiver that lets this deny through; absent when it still blocks. */
  waivedBy: z
    .object({ approver: z.string(), expiresAt: z.string(), reason: z.string() })
    .optional(),
});

export const Decision = z.object({
  allow: z.boolean(),
  deny: z.array(DenyItem),
  /** Never blocks; decisions recorded before warnings existed read as none. */
  warn: z.array(DenyItem).default([]),
});

export type DenyItem = z.infer<typeof DenyItem>;
export type Decision = z.output<typeof Decision>;

/** The rule id of denies raised by the gate itself when it cannot evaluate (invariant 5). */
export const GATE_ERROR_RULE = 'gate.evaluation';

/** A decision that blocks because the gate could not be evaluated. */
export function failClosed(message: string, remediation: string): Decision {
  return {
    allow: false,
    deny: [{ rule: GATE_ERROR_RULE, subject: '', message, severity: 'critical', remediation }],
    warn: [],
  };
}
