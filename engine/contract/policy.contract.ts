import { z } from 'zod';
import { defineOperation } from './operation.ts';

/** A pack by built-in name (baseline, soc2, hipaa) or by the path of a pack directory. */
const PackRef = z
  .string()
  .min(1, 'name a built-in pack (baseline, soc2, hipaa) or give a pack directory');

export const GateDeny = z.object({
  rule: z.string(),
  subject: z.string(),
  message: z.string(),
  severity: z.enum(['critical', 'high', 'medium', 'low']),
  remediation: z.string(),
  waivedBy: z
    .object({ approver: z.string(), expiresAt: z.string(), reason: z.string() })
    .optional(),
});

export const policyList = defineOperation({
  name: 'policy.list',
  summary: 'Policy packs this installation can evaluate',
  input: z.object({}).strict(),
  output: z.object({
    packs: z.array(
      z.object({
        name: z.string(),
        revision: z.string(),
        source: z.enum(['built-in', 'imported']),
        path: z.string(),
      }),
    ),
  }),
  http: { method: 'GET', path: '/policy/packs' },
});

export const policyTest = defineOperation({
  name: 'policy.test',
  summary: "Run a pack's *_test.rego tests the way `opa test` does",
  input: z.object({ pack: PackRef }).strict(),
  output: z.object({
    pack: z.object({ name: z.string(), revision: z.string() }),
    passed: z.number().int(),
    failed: z.number().int(),
    errored: z.number().int(),
    skipped: z.number().int(),
    results: z.array(
      z.object({
        name: z.string(),
        file: z.string(),
        row: z.number().int(),
        outcome: z.string(),
        detail: z.string().optional(),
      }),
    ),
  }),
  http: { method: 'POST', path: '/policy/test' },
});

export const policyEval = defineOperation({
  name: 'policy.eval',
  summary:
    'Evaluate a gate: a pack against a gate input document; the decision is audited with the input digest',
  input: z
    .object({
      pack: PackRef,
      /** The gate input document (engine/policy/gates/INPUT.md). */
      input: z.record(z.string(), z.unknown()),
      /** Record the decision against this project (and keep the input as its artifact). */
      projectId: z.string().min(1).optional(),
    })
    .strict(),
  output: z.object({
    pack: z.object({ name: z.string(), revision: z.string() }),
    allow: z.boolean(),
    deny: z.array(GateDeny),
    /** sha256 of the canonical input document, as recorded in the audit entry. */
    inputDigest: z.string(),
    /** Where the input was kept, so the decision can be re-run from the bundle later. */
    inputFile: z.string(),
  }),
  http: { method: 'POST', path: '/policy/eval' },
});

export const policyImport = defineOperation({
  name: 'policy.import',
  summary:
    'Import a signed policy pack (OPA bundle directory or .tar.gz), verified against the trusted keys',
  input: z
    .object({
      source: z.string().min(1, 'give the pack: a bundle directory or a .tar.gz'),
      /** OPA keys config ({"keys": {id: {algorithm, key}}}); default <data-dir>/trusted-keys.json. */
      trustedKeysFile: z.string().min(1).optional(),
    })
    .strict(),
  output: z.object({
    name: z.string(),
    revision: z.string(),
    digest: z.string(),
    signerKeyId: z.string().nullable(),
    path: z.string(),
    alreadyImported: z.boolean(),
  }),
  http: { method: 'POST', path: '/policy/packs' },
});
