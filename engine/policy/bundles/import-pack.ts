import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AuditSink } from '../../audit/index.ts';
import type { Db } from '../../store/database.ts';
import { newId } from '../../store/ids.ts';
import { BundleError } from './errors.ts';
import {
  checkLimits,
  DEFAULT_BUNDLE_LIMITS,
  safeMemberPath,
  type BundleFiles,
  type BundleLimits,
} from './files.ts';
import { loadPack } from './load.ts';
import { getPack, type PackRecord } from './pack-store.ts';
import { readBundle } from './read-bundle.ts';
import { verifyBundleSignature } from './signature.ts';
import type { TrustedKey } from './trusted-keys.ts';

export interface ImportPackOptions {
  db: Db;
  sink: AuditSink;
  dataDir: string;
  /** A bundle directory, an OPA bundle `.tar.gz`, or members already in memory. */
  source: string | BundleFiles;
  trustedKeys: TrustedKey[];
  /** Who imports (audit actor). */
  user: string;
  scope?: string;
  limits?: BundleLimits;
  clock?: () => Date;
}

export interface ImportPackResult {
  pack: PackRecord;
  /** True when this exact (name, revision, digest) was already imported: nothing changed. */
  alreadyImported: boolean;
}

/**
 * `prodsprint policy import FILE` (issue 6): verify, validate, store under
 * `<dataDir>/policy-packs/<name>/<revision>/`, record in policy_packs with its audit entry.
 * A revision is immutable: the same revision with other content is refused.
 */
export async function importPack(options: ImportPackOptions): Promise<ImportPackResult> {
  const { db, sink, dataDir } = options;
  const limits = options.limits ?? DEFAULT_BUNDLE_LIMITS;
  const files =
    typeof options.source === 'string'
      ? await readBundle(options.source, limits)
      : checkedInMemory(options.source, limits);
  const signerKeyId = verifyBundleSignature(files, {
    trustedKeys: options.trustedKeys,
    ...(options.scope === undefined ? {} : { scope: options.scope }),
  });
  const { manifest, digest } = loadPack(files);
  const existing = getPackByRevision(db, manifest.name, manifest.revision);
  if (existing) return sameOrConflict(existing, digest);

  const id = newId('pack');
  const path = join(dataDir, 'policy-packs', manifest.name, manifest.revision);
  await writePackDir(path, id, files);
  const importedAt = (options.clock?.() ?? new Date()).toISOString();
  try {
    db.transaction(() => {
      db.prepare(
        `INSERT INTO policy_packs (id, name, revision, digest, signer_key_id, manifest, path, imported_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        id,
        manifest.name,
        manifest.revision,
        digest,
        signerKeyId,
        JSON.stringify(manifest),
        path,
        importedAt,
      );
      sink.append(db, {
        actor: { user: options.user },
        action: 'policy.pack.imported',
        target: `policy_pack:${id}`,
        meta: {
          name: manifest.name,
          revision: manifest.revision,
          digest,
          signerKeyId,
          roots: manifest.roots,
        },
      });
    })();
  } catch (error) {
    // A concurrent import of the same revision committed first: its files are the ones to keep
    // (loadStoredPack re-checks the digest, so a mixed-up directory fails closed, never open).
    const raced = getPackByRevision(db, manifest.name, manifest.revision);
    if (raced) return sameOrConflict(raced, digest);
    await rm(path, { recursive: true, force: true });
    throw error;
  }
  return { pack: getPack(db, id)!, alreadyImported: false };
}

function getPackByRevision(db: Db, name: string, revision: string): PackRecord | undefined {
  const row = db
    .prepare('SELECT id FROM policy_packs WHERE name = ? AND revision = ?')
    .get(name, revision) as { id: string } | undefined;
  return row ? getPack(db, row.id) : undefined;
}

function sameOrConflict(existing: PackRecord, digest: string): ImportPackResult {
  if (existing.digest !== digest)
    throw new BundleError(
      'conflict',
      `${existing.name} revision ${existing.revision} is already imported with digest ${existing.digest}; this bundle has ${digest} — publish a new revision`,
      '.manifest',
    );
  return { pack: existing, alreadyImported: true };
}

/** Writes to a sibling temp dir then renames, so a crash never leaves a half-written revision. */
async function writePackDir(path: string, id: string, files: BundleFiles): Promise<void> {
  const tmp = join(dirname(path), `.tmp-${id}`);
  try {
    for (const [name, data] of files) {
      await mkdir(dirname(join(tmp, name)), { recursive: true });
      await writeFile(join(tmp, name), data, { flag: 'wx' });
    }
    // No row names this revision (checked by the caller), so a directory here is left over
    // from an import whose commit failed.
    await rm(path, { recursive: true, force: true });
    await rename(tmp, path);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Members handed over in memory get the same name and size checks as ones read from disk. */
function checkedInMemory(files: BundleFiles, limits: BundleLimits): BundleFiles {
  const checked: BundleFiles = new Map();
  let total = 0;
  for (const [name, data] of files) {
    if (safeMemberPath(name) !== name)
      throw new BundleError('unsafe_path', 'member names must be relative', name);
    checkLimits(checked, name, data.length, total, limits);
    checked.set(name, data);
    total += data.length;
  }
  return checked;
}
