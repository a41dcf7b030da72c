import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;
/**
 * A migration that rebuilds a table others reference starts with this line: it runs with
 * foreign keys off (SQLite's documented procedure for schema changes ALTER cannot make) and
 * is checked with `PRAGMA foreign_key_check` before it commits.
 */
const FOREIGN_KEYS_OFF = /^-- prodsprint: foreign-keys-off$/m;

/** The numbered migrations shipped with this build, in order. Forward-only: never edit one. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .map((file) => FILE_NAME.exec(file))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([file, version, name]) => ({
      version: Number(version),
      name: name!,
      sql: readFileSync(`${dir}/${file}`, 'utf8'),
    }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `migrations must be numbered 0001, 0002, … without gaps; found ${migration.version} at position ${index + 1}`,
      );
    }
  });
  return migrations;
}

export const LATEST_SCHEMA_VERSION = loadMigrations().length;

const CREATE_MIGRATIONS_TABLE = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    applied_at  TEXT NOT NULL
  ) STRICT`;

/** The highest migration applied to this database, or 0 for a database that has none. */
export function appliedSchemaVersion(db: Database): number {
  const table = db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`)
    .get();
  if (!table) return 0;
  const row = db.prepare('SELECT max(version) AS version FROM schema_migrations').get() as {
    version: number | null;
  };
  return row.version ?? 0;
}

export interface MigrateResult {
  from: number;
  to: number;
  applied: Array<Pick<Migration, 'version' | 'name'>>;
}

/**
 * Applies every migration above the database's version, each in its own transaction together
 * with its schema_migrations row, so a failure leaves the database at the previous version.
 * `target` stops early (tests use it to build databases as an older release left them).
 */
export function migrate(
  db: Database,
  options: { target?: number; migrations?: Migration[] } = {},
): MigrateResult {
  const migrations = options.migrations ?? loadMigrations();
  const target = options.target ?? migrations.length;
  db.exec(CREATE_MIGRATIONS_TABLE);
  const from = appliedSchemaVersion(db);
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  const applied: MigrateResult['applied'] = [];
  for (const migration of migrations) {
    if (migration.version <= from || migration.version > target) continue;
    const rebuild = FOREIGN_KEYS_OFF.test(migration.sql);
    // PRAGMA foreign_keys is a no-op inside a transaction, so it is switched around it.
    const foreignKeys = rebuild && db.pragma('foreign_keys', { simple: true }) === 1;
    if (foreignKeys) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        if (rebuild) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0)
            throw new Error(
              `migration ${migration.version}_${migration.name} would leave ${broken.length} broken foreign key(s)`,
            );
        }
        record.run(migration.version, migration.name, new Date().toISOString());
      })();
    } finally {
      if (foreignKeys) db.pragma('foreign_keys = ON');
    }
    applied.push({ version: migration.version, name: migration.name });
  }
  return { from, to: appliedSchemaVersion(db), applied };
}
