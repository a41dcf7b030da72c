import { z } from 'zod';
import { defineOperation } from './operation.ts';

const Instant = z.iso.datetime({
  offset: true,
  message: 'an ISO-8601 time such as 2026-11-01T00:00:00Z',
});

export const auditExport = defineOperation({
  name: 'audit.export',
  summary:
    'Export the signed audit chain (or a project or time slice of it) as a bundle a reviewer verifies offline',
  input: z
    .object({
      outFile: z.string().min(1, 'give the bundle file to write, e.g. audit-2026-11.tar.gz'),
      projectId: z.string().min(1).optional(),
      from: Instant.optional(),
      to: Instant.optional(),
    })
    .strict()
    .refine((input) => !input.from || !input.to || input.from <= input.to, {
      message: 'from must not be after to',
      path: ['from'],
    }),
  output: z.object({
    file: z.string(),
    entries: z.number().int().nonnegative(),
    sha256: z.string(),
    bytes: z.number().int().nonnegative(),
    treeSize: z.number().int().nonnegative(),
    rootHash: z.string(),
    signerKeyId: z.string(),
    /** Artifacts the log references that were not found on disk (the bundle says so too). */
    missingArtifacts: z.array(
      z.object({ sha256: z.string(), referencedBy: z.array(z.number().int()), reason: z.string() }),
    ),
  }),
  http: { method: 'POST', path: '/audit/export' },
});

export const AuditVerifyResult = z.object({
  ok: z.boolean(),
  /** What was verified, or the first problem and exactly where. */
  message: z.string(),
  subject: z.enum(['bundle', 'live']),
  entries: z.number().int().nonnegative(),
  problem: z
    .object({
      /** Bundle file name, or table of the live database. */
      where: z.string(),
      line: z.number().int().optional(),
      seq: z.number().int().optional(),
      reason: z.string(),
    })
    .optional(),
  warnings: z.array(z.string()),
});

export const auditVerify = defineOperation({
  name: 'audit.verify',
  summary: 'Verify an exported bundle offline, or, without a file, the live audit chain',
  input: z
    .object({
      file: z.string().min(1).optional(),
      /** Key fingerprints the bundle must be signed by (e.g. from `prodsprint init`'s output). */
      trustedKeyIds: z
        .array(z.string().regex(/^[0-9a-f]{64}$/, 'a 64-hex-digit key fingerprint'))
        .optional(),
    })
    .strict(),
  output: AuditVerifyResult,
  http: { method: 'POST', path: '/audit/verify' },
});
