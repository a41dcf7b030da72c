import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { dataDirLayout, ensureWritableDataDir } from './data-dir.ts';
import {
  appliedSchemaVersion,
  LATEST_SCHEMA_VERSION,
  migrate,
  type MigrateResult,
} from './migrations.ts';
import { StoreError } from './store-error.ts';

export type Db = SqliteDatabase;

export interface Store {
  db: Db;
  file: string;
  dataDir: string;
  migration: MigrateResult;
  close(): void;
}

export interface OpenStoreOptions {
  /** Stop migrating at this version (tests build databases as an older release left them). */
  targetVersion?: number;
  /** How long a writer waits for another connection's lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed) the data dir's database and migrates it to the latest schema.
 *
 * Before anything is written, an existing file is inspected through a connection that only
 * reads: a file that is not SQLite, not ours, or from a newer ProdSprint is refused with a
 * StoreError and left exactly as it was.
 */
export function openStore(dataDir: string, options: OpenStoreOptions = {}): Store {
  ensureWritableDataDir(dataDir);
  const file = dataDirLayout(dataDir).database;
  if (existsSync(file) && statSync(file).size > 0) inspectDatabaseFile(file);

  let db: Db;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    db.pragma('synchronous = NORMAL');
  } catch (error) {
    throw translateSqliteError(error, file);
  }

  let migration: MigrateResult;
  try {
    migration = migrate(db, { target: options.targetVersion });
  } catch (error) {
    db.close();
    const translated = translateSqliteError(error, file);
    if (translated.reason !== 'migration-failed') throw translated;
    throw new StoreError(
      'migration-failed',
      file,
      `migrating ${file} failed: ${(error as Error).message}`,
      'the database was left at its previous version; report this with the message above',
      error,
    );
  }
  return { db, file, dataDir, migration, close: () => db.close() };
}

export interface DatabaseInspection {
  schemaVersion: number;
  /** `ok`, or the first problem SQLite's quick_check found (only when asked for). */
  integrity?: string;
}

/**
 * Reads an existing database without writing to it and refuses files we must not touch: not
 * SQLite, not ours, or from a newer ProdSprint.
 */
export function inspectDatabaseFile(
  file: string,
  options: { integrity?: boolean } = {},
): DatabaseInspection {
  let db: Db | undefined;
  try {
    db = openForInspection(file);
    db.pragma('schema_version');
    const version = appliedSchemaVersion(db);
    if (version === 0 && hasAnyTable(db)) {
      throw new StoreError(
        'database-not-prodsprint',
        file,
        `${file} is an SQLite database, but not a ProdSprint one (it has no schema_migrations table)`,
        'move it aside, or point ProdSprint at another data dir with --data-dir DIR',
      );
    }
    if (version > LATEST_SCHEMA_VERSION) {
      throw new StoreError(
        'database-newer-schema',
        file,
        `${file} was written by a newer ProdSprint (schema ${version}; this build knows up to ${LATEST_SCHEMA_VERSION})`,
        'upgrade ProdSprint to the version that wrote it; the file was not changed',
      );
    }
    const integrity = options.integrity
      ? String(db.pragma('quick_check', { simple: true }))
      : undefined;
    return { schemaVersion: version, integrity };
  } catch (error) {
    throw translateSqliteError(error, file);
  } finally {
    db?.close();
  }
}

/**
 * A connection that only reads. It is read-write where it can be because SQLite's read-only
 * connections leave -wal and -shm files behind a WAL database (only a writable connection may
 * remove them on close); it writes nothing to the file itself. Where the folder is read-only,
 * a read-only connection can create nothing anyway.
 */
function openForInspection(file: string): Db {
  try {
    return new Database(file, { fileMustExist: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM') {
      return new Database(file, { readonly: true, fileMustExist: true });
    }
    throw error;
  }
}

function hasAnyTable(db: Db): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1`).get() !== undefined;
}

/** Turns better-sqlite3's error codes into a StoreError a person can act on. */
function translateSqliteError(error: unknown, file: string): StoreError {
  if (error instanceof StoreError) return error;
  const code = (error as { code?: string }).code ?? '';
  switch (code) {
    case 'SQLITE_NOTADB':
    case 'SQLITE_CORRUPT':
      return new StoreError(
        'database-not-sqlite',
        file,
        `${file} is not a readable SQLite database (${code})`,
        'restore it from a backup or move it aside so ProdSprint can create a new one; the file was not changed',
        error,
      );
    case 'SQLITE_READONLY':
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_PERM':
      return new StoreError(
        'database-read-only',
        file,
        `${file} cannot be opened for writing (${code})`,
        'give this user write access to the file and its folder, or choose another --data-dir',
        error,
      );
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return new StoreError(
        'database-locked',
        file,
        `${file} is locked by another process (${code})`,
        'wait for the other ProdSprint process to finish, or stop it',
        error,
      );
    default:
      return new StoreError(
        'migration-failed',
        file,
        `${file}: ${(error as Error).message}`,
        'see the message above',
        error,
      );
  }
}
