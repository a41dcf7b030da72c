import { resolve } from 'node:path';
import { exportAuditBundle, verifyAuditBundle, verifyLiveChain } from '../../audit/index.ts';
import type { HandlerTable } from '../handlers.ts';
import { requireProject } from './lookups.ts';

export const auditHandlers: HandlerTable = {
  'audit.export': async (input, ctx) => {
    const { db } = ctx.store();
    const { workstationKey } = ctx.audit();
    if (input.projectId) requireProject(db, input.projectId);
    const result = exportAuditBundle({
      db,
      signer: workstationKey,
      outFile: resolve(input.outFile),
      ...(input.projectId ? { projectId: input.projectId } : {}),
      ...(input.from ? { from: input.from } : {}),
      ...(input.to ? { to: input.to } : {}),
    });
    return {
      file: result.file,
      entries: result.entries,
      sha256: result.sha256,
      bytes: result.bytes,
      treeSize: result.treeHead.treeSize,
      rootHash: result.treeHead.rootHash,
      signerKeyId: workstationKey.keyId,
      missingArtifacts: result.missingArtifacts,
    };
  },

  'audit.verify': async (input, ctx) => {
    if (input.file) {
      const result = await verifyAuditBundle(
        resolve(input.file),
        input.trustedKeyIds ? { trustedKeyIds: input.trustedKeyIds } : {},
      );
      return {
        ok: result.ok,
        message: result.message,
        subject: 'bundle' as const,
        entries: result.entries,
        ...(result.problem
          ? {
              problem: {
                where: result.problem.file,
                line: result.problem.line,
                seq: result.problem.seq,
                reason: result.problem.reason,
              },
            }
          : {}),
        warnings: result.warnings,
      };
    }
    const result = await verifyLiveChain(ctx.store().db);
    return {
      ok: result.ok,
      message: result.message,
      subject: 'live' as const,
      entries: result.entries,
      ...(result.problem
        ? {
            problem: {
              where: result.problem.table,
              seq: result.problem.seq,
              reason: result.problem.reason,
            },
          }
        : {}),
      warnings: result.warnings,
    };
  },
};
