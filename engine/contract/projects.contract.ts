import { z } from 'zod';
import { defineOperation } from './operation.ts';

/**
 * The fingerprint as the contract carries it: versioned, its full shape owned by the repo
 * auditor (engine/agents/repo-auditor/fingerprint.ts), which validates it before it is stored.
 * Kept loose here so the contract stays importable by the renderer without engine code.
 */
export const FingerprintDocument = z.looseObject({ version: z.number().int().positive() });

export const ProjectSummary = z.object({
  projectId: z.string(),
  name: z.string(),
  repoUrl: z.string(),
  branch: z.string().nullable(),
  services: z.array(z.string()),
  gaps: z.number().int().nonnegative(),
  updatedAt: z.string(),
});

/**
 * Where the Git credentials are, never the credentials themselves: `env:NAME` reads a token (or
 * `user:password`) from the environment variable NAME.
 */
const credentialRef = z
  .string()
  .regex(
    /^env:[A-Za-z_][A-Za-z0-9_]*$/,
    'env:NAME, naming an environment variable that holds the token',
  )
  .optional();

export const projectsImport = defineOperation({
  name: 'projects.import',
  summary: 'Import a repository from a Git server or a local path (read-only) and audit it',
  input: z
    .object({
      source: z.string().min(1, 'give a Git URL (https://, ssh://, git@host:path) or a local path'),
      branch: z.string().min(1).optional(),
      name: z
        .string()
        .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/i, 'letters, digits, dot, dash, underscore; at most 63')
        .optional(),
      credentialRef,
    })
    .strict(),
  output: ProjectSummary.extend({ commit: z.string(), runId: z.string().optional() }),
  http: { method: 'POST', path: '/projects' },
});

export const projectsAudit = defineOperation({
  name: 'projects.audit',
  summary: "Audit a project's imported checkout again and return its fingerprint (read-only)",
  input: z.object({ projectId: z.string().min(1) }).strict(),
  output: z.object({ projectId: z.string(), fingerprint: FingerprintDocument }),
  http: { method: 'POST', path: '/projects/:projectId/audit' },
});

export const projectsSync = defineOperation({
  name: 'projects.sync',
  summary:
    "Fetch the newest commit of a project's branch from its source and audit it again (read-only toward the source)",
  input: z
    .object({
      projectId: z.string().min(1),
      credentialRef,
    })
    .strict(),
  output: ProjectSummary.extend({
    commit: z.string(),
    previousCommit: z.string(),
    changed: z.boolean(),
  }),
  http: { method: 'POST', path: '/projects/:projectId/sync' },
  issue: 10,
});

export const projectsList = defineOperation({
  name: 'projects.list',
  summary: 'Projects of the local workspace',
  input: z.object({}).strict(),
  output: z.object({ projects: z.array(ProjectSummary) }),
  http: { method: 'GET', path: '/projects' },
});
