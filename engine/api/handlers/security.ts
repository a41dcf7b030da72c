import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { importOsv } from '../../agents/security/vulns/osv-import.ts';
import { countAdvisories } from '../../agents/security/vulns/osv-store.ts';
import type { HandlerTable } from '../handlers.ts';
import { ProblemError } from '../../contract/problem.ts';
import { localIdentity } from './local-identity.ts';

export const securityHandlers: HandlerTable = {
  'vulns.import': async (input, ctx) => {
    const source = resolve(input.source);
    if (!existsSync(source)) {
      throw ProblemError.of('validation-failed', {
        detail: `${source} does not exist`,
        errors: [{ field: 'input.source', message: 'no such file or directory' }],
        remedy: 'pass a directory of OSV JSON files or an OSV .zip export',
      });
    }
    const { db } = ctx.store();
    const { sink } = ctx.audit();
    const identity = localIdentity(db);
    const now = new Date().toISOString();
    const result = await importOsv(db, source, { now }).catch((error: Error) => {
      throw ProblemError.of('validation-failed', {
        detail: `cannot import ${source}: ${error.message}`,
        errors: [{ field: 'input.source', message: error.message }],
      });
    });
    const known = countAdvisories(db);
    sink.append(db, {
      actor: { user: identity.userId },
      action: 'vulns.imported',
      target: `osv:${source}`,
      meta: { stored: result.stored, unchanged: result.unchanged, skipped: result.skipped.length },
    });
    return { source, ...result, advisoriesKnown: known };
  },
};
