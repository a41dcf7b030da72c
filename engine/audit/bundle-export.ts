import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { dataDirLayout } from '../store/data-dir.ts';
import type { Db } from '../store/database.ts';
import {
  artifactFile,
  artifactReferences,
  BUNDLE_FILES,
  BUNDLE_FORMAT,
  keyFile,
  toRanges,
  type BundleManifest,
  type ConsistencyFile,
  type ProofLine,
} from './bundle-format.ts';
import { candidateFromRow, entryFromRow, type AuditRow } from './entry-check.ts';
import { sha256Hex } from './entry.ts';
import { listAuditKeys } from './key-registry.ts';
import { signMessage, type AuditKeyPair } from './keys.ts';
import { buildTree, listTreeHeads, signTreeHead, type SignedTreeHead } from './tree-head.ts';
import { writeTarGz, type ArchiveFile } from './ustar.ts';
import { verifyDoc } from './verify-doc.ts';
import { prepared } from './statements.ts';

export interface ExportAuditBundleOptions {
  db: Db;
  /** Signs the new tree head and SHA256SUMS: the workstation key (see openAuditLog). */
  signer: AuditKeyPair;
  outFile: string;
  /** Only entries about this project (its runs, releases, blueprints included). */
  projectId?: string;
  /** Only entries at or after / at or before these instants. */
  from?: Date | string;
  to?: Date | string;
  /** Where artifact paths are relative to; defaults to the data dir's artifacts folder. */
  artifactsDir?: string;
  now?: Date;
}

export interface ExportAuditBundleResult {
  file: string;
  entries: number;
  treeHead: SignedTreeHead;
  /** sha256 of the archive file, for the auditor's receipt. */
  sha256: string;
  bytes: number;
  missingArtifacts: BundleManifest['missingArtifacts'];
}

/**
 * Writes an audit bundle (gzip'd ustar; layout in bundle-format.ts, checks in VERIFY.md).
 * A new tree head is signed over the whole log first; the selected entries are then proven
 * against it, so a filtered bundle still proves each entry's place in the complete log.
 */
export function exportAuditBundle(options: ExportAuditBundleOptions): ExportAuditBundleResult {
  const { db, signer } = options;
  const now = options.now ?? new Date();
  const head = signTreeHead(db, signer, now);
  const rows = selectRows(db, head.treeSize, options);
  const tree = buildTree(db, head.treeSize);

  const entries: string[] = [];
  const signatures: string[] = [];
  const proofs: string[] = [];
  const references = new Map<string, number[]>();
  for (const row of rows) {
    const candidate = candidateFromRow(row);
    // The exporter signs what it packs: it must never lend its signature to an edited row.
    if (sha256Hex(candidate.canonical) !== row.entry_hash) {
      throw new Error(
        `audit_log seq ${row.seq} does not match its entry hash; run the live verification before exporting`,
      );
    }
    entries.push(candidate.canonical);
    signatures.push(
      JSON.stringify({ entryHash: row.entry_hash, seq: row.seq, signature: row.signature }),
    );
    const proof: ProofLine = {
      seq: row.seq,
      leafIndex: row.seq - 1,
      treeSize: head.treeSize,
      path: tree.inclusionProof(row.seq - 1).map((h) => h.toString('hex')),
    };
    proofs.push(JSON.stringify(proof));
    if (row.meta.includes('"sha256"')) {
      for (const sha of artifactReferences(entryFromRow(row).meta))
        references.set(sha, [...(references.get(sha) ?? []), row.seq]);
    }
  }

  const files: ArchiveFile[] = [];
  const artifacts = collectArtifacts(
    db,
    references,
    options.artifactsDir ?? dataDirLayout(dirname(db.name)).artifacts,
  );
  const keys = listAuditKeys(db);
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    createdAt: now.toISOString(),
    selection: {
      projectId: options.projectId ?? null,
      from: iso(options.from),
      to: iso(options.to),
    },
    signerKeyId: signer.keyId,
    entryCount: rows.length,
    seqRanges: toRanges(rows.map((row) => row.seq)),
    treeSize: head.treeSize,
    keys: keys.map((key) => ({
      keyId: key.keyId,
      file: keyFile(key.keyId),
      role: key.role,
      owner: key.owner,
      retiredAt: key.retiredAt,
    })),
    artifacts: artifacts.included.map(({ data: _data, ...rest }) => rest),
    missingArtifacts: artifacts.missing,
  };
  const text = (path: string, content: string) =>
    files.push({ path, data: Buffer.from(content, 'utf8') });
  text(BUNDLE_FILES.verify, verifyDoc(manifest, head));
  text(BUNDLE_FILES.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  text(BUNDLE_FILES.treeHead, `${JSON.stringify(head, null, 2)}\n`);
  const previous = listTreeHeads(db)
    .filter((th) => th.treeSize < head.treeSize && th.treeSize > 0)
    .pop();
  if (previous) {
    const consistency: ConsistencyFile = {
      previous,
      treeSize: head.treeSize,
      path: tree.consistencyProof(previous.treeSize).map((h) => h.toString('hex')),
    };
    text(BUNDLE_FILES.consistency, `${JSON.stringify(consistency, null, 2)}\n`);
  }
  text(BUNDLE_FILES.entries, jsonl(entries));
  text(BUNDLE_FILES.signatures, jsonl(signatures));
  text(BUNDLE_FILES.proofs, jsonl(proofs));
  for (const key of keys) text(keyFile(key.keyId), key.publicKeyPem);
  for (const artifact of artifacts.included)
    files.push({ path: artifact.file, data: artifact.data });

  // sha256sum format ("<hex>  <path>"), sorted, so `sha256sum --check` reads it as is.
  const sums = files
    .map((file) => `${createHash('sha256').update(file.data).digest('hex')}  ${file.path}\n`)
    .sort((a, b) => (a.slice(66) < b.slice(66) ? -1 : 1))
    .join('');
  files.push({ path: BUNDLE_FILES.sums, data: Buffer.from(sums, 'ascii') });
  files.push({
    path: BUNDLE_FILES.sumsSignature,
    data: Buffer.from(signMessage(signer.privateKey, Buffer.from(sums, 'ascii')), 'base64'),
  });

  const archive = writeTarGz(files, Math.floor(now.getTime() / 1000));
  mkdirSync(dirname(options.outFile), { recursive: true });
  const temp = `${options.outFile}.tmp-${process.pid}`;
  writeFileSync(temp, archive);
  renameSync(temp, options.outFile);
  return {
    file: options.outFile,
    entries: rows.length,
    treeHead: head,
    sha256: createHash('sha256').update(archive).digest('hex'),
    bytes: archive.length,
    missingArtifacts: artifacts.missing,
  };
}

function selectRows(db: Db, treeSize: number, options: ExportAuditBundleOptions): AuditRow[] {
  const where = ['seq <= @treeSize'];
  const params: Record<string, unknown> = { treeSize };
  if (options.projectId) {
    params.projectId = options.projectId;
    where.push(`(target = 'project:' || @projectId
      OR json_extract(meta, '$.projectId') = @projectId
      OR target IN (SELECT 'run:' || id FROM runs WHERE project_id = @projectId)
      OR target IN (SELECT 'release:' || id FROM releases WHERE project_id = @projectId)
      OR target IN (SELECT 'blueprint:' || id FROM blueprints WHERE project_id = @projectId))`);
  }
  if (options.from !== undefined) {
    params.from = iso(options.from);
    where.push('at >= @from');
  }
  if (options.to !== undefined) {
    params.to = iso(options.to);
    where.push('at <= @to');
  }
  // Key history always travels with the entries, so every signing key's origin is in the bundle.
  const sql = `SELECT * FROM audit_log WHERE seq <= @treeSize AND ((${where.join(' AND ')}) OR action LIKE 'key.%') ORDER BY seq`;
  return prepared(db, sql).all(params) as AuditRow[];
}

interface IncludedArtifact {
  sha256: string;
  file: string;
  size: number;
  kind: string | null;
  mediaType: string | null;
  referencedBy: number[];
  data: Buffer;
}

function collectArtifacts(db: Db, references: Map<string, number[]>, artifactsDir: string) {
  const included: IncludedArtifact[] = [];
  const missing: BundleManifest['missingArtifacts'] = [];
  const lookup = prepared(
    db,
    'SELECT path, kind, media_type FROM artifacts WHERE sha256 = ? LIMIT 1',
  );
  for (const [sha256, referencedBy] of [...references].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const row = lookup.get(sha256) as
      { path: string; kind: string; media_type: string } | undefined;
    if (!row) {
      missing.push({ sha256, referencedBy, reason: 'no artifacts row has this digest' });
      continue;
    }
    const path = isAbsolute(row.path) ? row.path : join(artifactsDir, row.path);
    if (!existsSync(path)) {
      missing.push({ sha256, referencedBy, reason: `file ${path} is gone` });
      continue;
    }
    const data = readFileSync(path);
    if (sha256Hex(data) !== sha256) {
      missing.push({ sha256, referencedBy, reason: `file ${path} no longer has this digest` });
      continue;
    }
    included.push({
      sha256,
      file: artifactFile(sha256),
      size: data.length,
      kind: row.kind,
      mediaType: row.media_type,
      referencedBy,
      data,
    });
  }
  return { included, missing };
}

function jsonl(lines: string[]): string {
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function iso(value: Date | string | undefined): string | null {
  if (value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a date: ${String(value)}`);
  return date.toISOString();
}
