import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/database.ts';

/**
 * Prepared statements, kept (with their connection) for the life of the process: the audit
 * hot path appends and verifies with the same few statements millions of times. Large tables
 * are read in seq-ranged pages rather than with `.iterate()`, so a verification never holds a
 * read transaction open across the whole log.
 */
const cache = new Map<Db, Map<string, Statement>>();

export function prepared(db: Db, sql: string): Statement {
  let statements = cache.get(db);
  if (!statements) cache.set(db, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
}

/** Rows are read in pages of this many seqs, so a million-entry log is never one array. */
export const PAGE = 10_000;
