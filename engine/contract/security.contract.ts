import { z } from 'zod';
import { defineOperation } from './operation.ts';

export const vulnsImport = defineOperation({
  name: 'vulns.import',
  summary: 'Import an OSV export (a directory of OSV JSON files or a .zip) for offline scanning',
  input: z.object({ source: z.string().min(1) }).strict(),
  output: z.object({
    source: z.string(),
    stored: z.number().int(),
    unchanged: z.number().int(),
    skipped: z.array(z.object({ origin: z.string(), reason: z.string() })),
    advisoriesKnown: z.number().int(),
  }),
  http: { method: 'POST', path: '/vulns/import' },
  issue: 8,
});
