// A gate decision (issue 6): allow plus every deny the pack produced. Waived denies stay in the
// list, marked, so the audit entry shows what was let through and under whose waiver.
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
});

export type DenyItem = z.infer<typeof DenyItem>;
export type Decision = z.infer<typeof Decision>;

/** The rule id of denies raised by the gate itself when it cannot evaluate (invariant 5). */
export const GATE_ERROR_RULE = 'gate.evaluation';

/** A decision that blocks because the gate could not be evaluated. */
export function failClosed(message: string, remediation: string): Decision {
  return {
    allow: false,
    deny: [{ rule: GATE_ERROR_RULE, subject: '', message, severity: 'critical', remediation }],
  };
}
