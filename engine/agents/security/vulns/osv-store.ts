/**
 * Writes OSV records into the vulnerability tables (migration 0005). Pure over a database
 * handle: the file side (directories, zips) is in osv-import.ts. A record replaces a stored
 * one only when its `modified` time is newer, so importing an older export never regresses
 * data. Records are checked for the fields matching needs; bad ones are skipped with a reason.
 */
import type { Db } from '../../../store/database.ts';
import { advisorySeverity } from './advisory-severity.ts';
import { isKnownEcosystem } from './ecosystem-versions.ts';
import { packageKey } from './package-key.ts';
import type { OsvAffected } from './osv-range.ts';

export interface OsvRecord {
  id: string;
  modified: string;
  withdrawn?: string;
  aliases?: string[];
  summary?: string;
  details?: string;
  affected?: OsvAffected[];
  severity?: Array<{ type?: string; score?: string }>;
  database_specific?: Record<string, unknown>;
}

export interface StoreResult {
  stored: number;
  unchanged: number;
  skipped: Array<{ origin: string; reason: string }>;
}

/** Stores parsed OSV documents in one transaction; `origin` names each for skip reasons. */
export function storeOsvRecords(
  db: Db,
  documents: Array<{ origin: string; value: unknown }>,
  meta: { source: string; importedAt: string },
): StoreResult {
  const result: StoreResult = { stored: 0, unchanged: 0, skipped: [] };
  const existing = db.prepare('SELECT modified FROM vuln_advisories WHERE id = ?');
  const remove = db.prepare('DELETE FROM vuln_advisories WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO vuln_advisories (id, modified, withdrawn, aliases, summary, severity, score, record, source, imported_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertAffected = db.prepare(
    `INSERT INTO vuln_affected (advisory_id, position, ecosystem, package_key, package_name, affected)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const { origin, value } of documents) {
      const problem = checkRecord(value);
      if (problem) {
        result.skipped.push({ origin, reason: problem });
        continue;
      }
      const record = value as OsvRecord;
      const stored = existing.get(record.id) as { modified: string } | undefined;
      if (stored && Date.parse(stored.modified) >= Date.parse(record.modified)) {
        result.unchanged += 1;
        continue;
      }
      remove.run(record.id);
      const { severity, score } = advisorySeverity(record);
      insert.run(
        record.id,
        record.modified,
        record.withdrawn ?? null,
        JSON.stringify(record.aliases ?? []),
        record.summary ?? '',
        severity,
        score ?? null,
        JSON.stringify(record),
        meta.source,
        meta.importedAt,
      );
      (record.affected ?? []).forEach((affected, position) => {
        const ecosystem = affected.package?.ecosystem ?? '';
        const name = affected.package?.name ?? '';
        if (!isKnownEcosystem(ecosystem) || name === '') return;
        insertAffected.run(
          record.id,
          position,
          ecosystem,
          packageKey(ecosystem, name),
          name,
          JSON.stringify(affected),
        );
      });
      result.stored += 1;
    }
    db.prepare(
      'INSERT INTO vuln_imports (source, imported_at, records, skipped) VALUES (?, ?, ?, ?)',
    ).run(meta.source, meta.importedAt, result.stored, result.skipped.length);
  })();
  return result;
}

/** The reason a value is not a usable OSV record, or undefined when it is. */
function checkRecord(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'not a JSON object';
  const record = value as Partial<OsvRecord>;
  if (typeof record.id !== 'string' || record.id === '') return 'no "id"';
  if (typeof record.modified !== 'string' || Number.isNaN(Date.parse(record.modified))) {
    return `${record.id}: "modified" is not an RFC 3339 time`;
  }
  if (record.affected !== undefined && !Array.isArray(record.affected))
    return `${record.id}: "affected" is not a list`;
  for (const affected of record.affected ?? []) {
    for (const range of affected.ranges ?? []) {
      if (!Array.isArray(range.events)) return `${record.id}: a range has no "events" list`;
    }
  }
  return undefined;
}

/** How many advisories the store holds: zero means no vulnerability data was ever imported. */
export function countAdvisories(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM vuln_advisories').get() as { n: number }).n;
}
