import { createRequire } from 'node:module';
import Database from 'better-sqlite3';
import { dataDirLayout } from '../../store/data-dir.ts';
import { LATEST_SCHEMA_VERSION } from '../../store/migrations.ts';
import { ensureLocalIdentity } from '../../store/repositories/workspaces.ts';
import { runDoctor } from '../../runtime/doctor/doctor.ts';
import type { HandlerTable } from '../handlers.ts';
import { operationNames, operations } from '../../contract/operations.contract.ts';

const packageJson = createRequire(import.meta.url)('../../../package.json') as { version: string };

function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  } finally {
    db.close();
  }
}

export const systemHandlers: HandlerTable = {
  'system.version': async () => ({
    prodsprint: packageJson.version,
    node: process.versions.node,
    sqlite: sqliteVersion(),
    schemaVersion: LATEST_SCHEMA_VERSION,
    platform: `${process.platform}-${process.arch}`,
  }),

  'system.init': async (input, ctx) => {
    const store = ctx.store();
    const identity = ensureLocalIdentity(store.db, {
      email: input.operatorEmail,
      displayName: input.operatorName,
    });
    // The workstation's audit key is made here on first run, and announced in the chain.
    const { workstationKey, createdKey } = ctx.audit();
    ctx.logger.info('data dir ready', { dataDir: ctx.dataDir, created: identity.created });
    return {
      dataDir: ctx.dataDir,
      database: dataDirLayout(ctx.dataDir).database,
      schemaVersion: store.migration.to,
      migrationsApplied: store.migration.applied,
      workspaceId: identity.workspace.id,
      created: identity.created,
      auditKeyId: workstationKey.keyId,
      auditKeyCreated: createdKey,
    };
  },

  'system.doctor': async (_input, ctx) => {
    const result = await runDoctor({
      dataDir: ctx.dataDir,
      projectRoot: ctx.projectRoot,
      env: ctx.env,
    });
    return { ...result, dataDir: ctx.dataDir };
  },

  'system.operations': async () => {
    // Imported lazily: handlers.ts imports this file, so a static import would be circular.
    const { handlers } = await import('../handlers.ts');
    return {
      operations: operationNames.map((name) => {
        const spec = operations[name] as { summary: string; issue?: number };
        return {
          name,
          summary: spec.summary,
          implemented: name in handlers,
          ...(spec.issue ? { issue: spec.issue } : {}),
        };
      }),
    };
  },
};
