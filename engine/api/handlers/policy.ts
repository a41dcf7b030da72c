import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { canonicalize } from '../../audit/jcs.ts';
import { BundleError, importPack, listPacks, readTrustedKeys } from '../../policy/bundles/index.ts';
import { evaluateGate } from '../../policy/gates/evaluate.ts';
import { loadPack, type Pack } from '../../policy/gates/pack.ts';
import { builtInPacksDir, loadPolicyPack, PackNotFoundError } from '../../runtime/policy-packs.ts';
import { readPackDir } from '../../policy/gates/pack-files.ts';
import { runPackTests } from '../../policy/testing/opa-test.ts';
import { dataDirLayout } from '../../store/data-dir.ts';
import { insertArtifact } from '../../store/repositories/blueprints.ts';
import type { HandlerContext } from '../handler-context.ts';
import type { HandlerTable } from '../handlers.ts';
import { ProblemError } from '../../contract/problem.ts';
import { localIdentity } from './local-identity.ts';
import { requireProject } from './lookups.ts';

function builtInDir(ctx: HandlerContext): string {
  return builtInPacksDir(ctx.projectRoot);
}

/** A built-in pack by name, else a directory path; any problem loading it is the caller's input. */
async function resolvePack(ctx: HandlerContext, ref: string): Promise<Pack> {
  try {
    return await loadPolicyPack(ctx.projectRoot, ref);
  } catch (error) {
    const notFound = error instanceof PackNotFoundError;
    throw ProblemError.of('validation-failed', {
      detail: notFound
        ? (error as Error).message
        : `pack ${ref} cannot be loaded: ${(error as Error).message}`,
      errors: [
        { field: 'input.pack', message: notFound ? 'unknown pack' : (error as Error).message },
      ],
      ...(notFound
        ? {
            remedy: 'choose one of the packs this workstation has',
            action: { operation: 'policy.list', input: {}, label: 'List policy packs' },
          }
        : {}),
    });
  }
}

export const policyHandlers: HandlerTable = {
  'policy.list': async (_input, ctx) => {
    const packs = [];
    for (const name of readdirSync(builtInDir(ctx)).sort()) {
      const dir = join(builtInDir(ctx), name);
      if (!existsSync(join(dir, '.manifest'))) continue;
      const pack = loadPack(await readPackDir(dir));
      packs.push({
        name: pack.name,
        revision: pack.revision,
        source: 'built-in' as const,
        path: dir,
      });
    }
    for (const pack of listPacks(ctx.store().db)) {
      packs.push({
        name: pack.name,
        revision: pack.revision,
        source: 'imported' as const,
        path: pack.path,
      });
    }
    return { packs };
  },

  'policy.test': async (input, ctx) => {
    const pack = await resolvePack(ctx, input.pack);
    const report = runPackTests(pack);
    return {
      pack: { name: pack.name, revision: pack.revision },
      passed: report.passed,
      failed: report.failed,
      errored: report.errored,
      skipped: report.skipped,
      results: report.results.map((result) => ({
        name: `${result.package}.${result.name}`,
        file: result.file,
        row: result.row,
        outcome: result.outcome,
        ...(result.detail ? { detail: result.detail } : {}),
      })),
    };
  },

  'policy.import': async (input, ctx) => {
    const keysFile = input.trustedKeysFile
      ? resolve(input.trustedKeysFile)
      : join(ctx.dataDir, 'trusted-keys.json');
    if (!existsSync(keysFile)) {
      throw ProblemError.of('validation-failed', {
        detail: `no trusted keys file at ${keysFile}: a pack can only be imported when its signer is trusted`,
        errors: [
          { field: 'input.trustedKeysFile', message: `no trusted keys file at ${keysFile}` },
        ],
        remedy:
          'write the signers\' public keys in OPA keys config form ({"keys": {"<id>": {"algorithm": "ES256", "key": "<PEM>"}}}) there, or pass --trusted-keys FILE',
      });
    }
    const { db } = ctx.store();
    try {
      const { pack, alreadyImported } = await importPack({
        db,
        sink: ctx.audit().sink,
        dataDir: ctx.dataDir,
        source: resolve(input.source),
        trustedKeys: await readTrustedKeys(keysFile),
        user: localIdentity(db).userId,
      });
      return {
        name: pack.name,
        revision: pack.revision,
        digest: pack.digest,
        signerKeyId: pack.signerKeyId,
        path: pack.path,
        alreadyImported,
      };
    } catch (error) {
      if (!(error instanceof BundleError)) throw error;
      throw ProblemError.of(error.code === 'conflict' ? 'conflict' : 'validation-failed', {
        detail: `the pack was refused (${error.code}): ${error.message}`,
        remedy: "ask the pack's publisher for a correctly signed bundle; nothing was imported",
      });
    }
  },

  'policy.eval': async (input, ctx) => {
    const pack = await resolvePack(ctx, input.pack);
    const { db } = ctx.store();
    if (input.projectId) requireProject(db, input.projectId);
    const decision = evaluateGate(pack, input.input);
    // The input is kept by its digest so a reviewer can re-run this exact decision later.
    const canonical = canonicalize(input.input) ?? 'null';
    const inputDigest = createHash('sha256').update(canonical).digest('hex');
    const dir = join(dataDirLayout(ctx.dataDir).artifacts, 'gate-inputs');
    mkdirSync(dir, { recursive: true });
    const inputFile = join(dir, `${inputDigest}.json`);
    writeFileSync(inputFile, canonical);
    const { sink } = ctx.audit();
    const identity = localIdentity(db);
    db.transaction(() => {
      if (input.projectId) {
        insertArtifact(db, {
          projectId: input.projectId,
          blueprintId: null,
          kind: 'gate-input',
          path: `gate-inputs/${inputDigest}.json`,
          sha256: inputDigest,
          size: Buffer.byteLength(canonical),
          mediaType: 'application/json',
        });
      }
      sink.append(db, {
        actor: { user: identity.userId },
        action: 'policy.gate.decided',
        target: input.projectId ? `project:${input.projectId}` : `pack:${pack.name}`,
        meta: {
          pack: pack.name,
          revision: pack.revision,
          inputDigest,
          allow: decision.allow,
          deny: decision.deny.map((item) => ({
            rule: item.rule,
            subject: item.subject,
            severity: item.severity,
            waived: Boolean(item.waivedBy),
          })),
        },
      });
    })();
    return {
      pack: { name: pack.name, revision: pack.revision },
      allow: decision.allow,
      deny: decision.deny,
      inputDigest,
      inputFile,
    };
  },
};
