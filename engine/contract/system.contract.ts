import { z } from 'zod';
import { defineOperation } from './operation.ts';

export const CheckStatus = z.enum(['ok', 'warn', 'fail']);
export type CheckStatus = z.infer<typeof CheckStatus>;

export const DoctorCheck = z.object({
  id: z.string(),
  title: z.string(),
  status: CheckStatus,
  /** A failing required check makes the machine unusable; optional ones limit features. */
  required: z.boolean(),
  detail: z.string(),
  remedy: z.string().optional(),
});
export type DoctorCheck = z.infer<typeof DoctorCheck>;

export const systemVersion = defineOperation({
  name: 'system.version',
  summary: 'Versions of ProdSprint, its runtime and its schema',
  input: z.object({}).strict(),
  output: z.object({
    prodsprint: z.string(),
    node: z.string(),
    sqlite: z.string(),
    schemaVersion: z.number().int(),
    platform: z.string(),
  }),
  http: { method: 'GET', path: '/system/version' },
});

export const systemInit = defineOperation({
  name: 'system.init',
  summary: 'Create the data dir, the database and the local workspace (idempotent)',
  input: z
    .object({
      operatorEmail: z.email().default('operator@localhost'),
      operatorName: z.string().min(1).max(200).default('Local operator'),
    })
    .strict(),
  output: z.object({
    dataDir: z.string(),
    database: z.string(),
    schemaVersion: z.number().int(),
    /** Migrations applied when this engine opened the database (empty when it was current). */
    migrationsApplied: z.array(z.object({ version: z.number().int(), name: z.string() })),
    workspaceId: z.string(),
    created: z.boolean(),
    /** Fingerprint (sha256 of the public key) of the key that signs this workstation's audit chain. */
    auditKeyId: z.string(),
    auditKeyCreated: z.boolean(),
  }),
  http: { method: 'POST', path: '/system/init' },
});

export const systemDoctor = defineOperation({
  name: 'system.doctor',
  summary: 'Check this machine: runtime, data dir, database, container engine, external tools',
  input: z.object({}).strict(),
  output: z.object({
    ok: z.boolean(),
    dataDir: z.string(),
    checks: z.array(DoctorCheck),
  }),
  http: { method: 'GET', path: '/system/doctor' },
});

export const systemOperations = defineOperation({
  name: 'system.operations',
  summary: 'Every operation of the contract and whether this build implements it',
  input: z.object({}).strict(),
  output: z.object({
    operations: z.array(
      z.object({
        name: z.string(),
        summary: z.string(),
        implemented: z.boolean(),
        issue: z.number().int().optional(),
      }),
    ),
  }),
  http: { method: 'GET', path: '/system/operations' },
});
