import { z } from 'zod';
import { defineOperation } from './operation.ts';

export const projectsImport = defineOperation({
  name: 'projects.import',
  summary: 'Import a repository from a Git server or a local path (read-only)',
  input: z
    .object({
      source: z.string().min(1, 'give a Git URL (https://, ssh://, git@host:path) or a local path'),
      branch: z.string().min(1).optional(),
      name: z
        .string()
        .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/i, 'letters, digits, dot, dash, underscore; at most 63')
        .optional(),
      /** Name of a secret in the secrets layer holding the credentials; never the credential. */
      credentialRef: z.string().min(1).optional(),
    })
    .strict(),
  output: z.object({ projectId: z.string(), runId: z.string().optional() }),
  http: { method: 'POST', path: '/projects' },
  issue: 5,
});
