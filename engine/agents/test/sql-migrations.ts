/**
 * Which SQL files a migrations folder applies, in which order, and the SQL of each: what the
 * migration tool itself would run on an empty database, for the formats that are plain SQL.
 *   dbmate          `-- migrate:up` … `-- migrate:down`: only the up part.
 *   goose           `-- +goose Up` … `-- +goose Down`: only the up part.
 *   golang-migrate  `<version>_<name>.up.sql`; `.down.sql` never runs.
 *   flyway          `V<version>__<desc>.sql` by version, then repeatable `R__<desc>.sql`;
 *                   undo scripts (`U…`) never run.
 *   prisma          `<timestamp>_<name>/migration.sql`, by folder.
 *   plain           every `*.sql`, by name (numbers compared as numbers).
 * Code migrations (alembic, knex, Django, …) are the tests' own business: nothing here.
 */

export interface MigrationFile {
  /** POSIX path relative to the migrations folder. */
  path: string;
  text: string;
}

export interface MigrationStep {
  /** The file, relative to the migrations folder. */
  file: string;
  sql: string;
}

export interface MigrationPlan {
  format: 'dbmate' | 'goose' | 'golang-migrate' | 'flyway' | 'prisma' | 'plain';
  steps: MigrationStep[];
}

const DBMATE_UP = /^--\s*migrate:up\b.*$/m;
const DBMATE_DOWN = /^--\s*migrate:down\b.*$/m;
const GOOSE_UP = /^--\s*\+goose\s+up\b.*$/im;
const GOOSE_DOWN = /^--\s*\+goose\s+down\b.*$/im;
const FLYWAY = /^([VUR])([\w.]*)__.+\.sql$/;

/** The plan for a folder's files, or null when it holds no SQL migrations. */
export function planSqlMigrations(files: MigrationFile[]): MigrationPlan | null {
  const sql = files.filter((file) => file.path.endsWith('.sql'));
  if (sql.length === 0) return null;
  const prisma = sql.filter((file) => /^[^/]+\/migration\.sql$/.test(file.path));
  if (prisma.length > 0) return { format: 'prisma', steps: whole(byName(prisma)) };

  const top = sql.filter((file) => !file.path.includes('/'));
  if (top.some((file) => DBMATE_UP.test(file.text)))
    return { format: 'dbmate', steps: upParts(top, DBMATE_UP, DBMATE_DOWN) };
  if (top.some((file) => GOOSE_UP.test(file.text)))
    return { format: 'goose', steps: upParts(top, GOOSE_UP, GOOSE_DOWN) };
  if (top.some((file) => /\.(?:up|down)\.sql$/.test(file.path))) {
    const ups = top.filter((file) => file.path.endsWith('.up.sql'));
    return { format: 'golang-migrate', steps: whole(byName(ups)) };
  }
  const flyway = top.filter((file) => FLYWAY.test(file.path));
  if (flyway.length > 0) return { format: 'flyway', steps: whole(flywayOrder(flyway)) };
  return { format: 'plain', steps: whole(byName(top)) };
}

/** The up section of each file that has one; a file without markers is not a migration. */
function upParts(files: MigrationFile[], up: RegExp, down: RegExp): MigrationStep[] {
  return byName(files).flatMap((file) => {
    const start = up.exec(file.text);
    if (!start) return [];
    const after = file.text.slice(start.index + start[0].length);
    const end = down.exec(after);
    return [{ file: file.path, sql: end ? after.slice(0, end.index) : after }];
  });
}

function flywayOrder(files: MigrationFile[]): MigrationFile[] {
  const parsed = files.map((file) => {
    const [, kind = '', version = ''] = FLYWAY.exec(file.path) ?? [];
    return { file, kind, version: version.split(/[._]/).map(Number) };
  });
  const versioned = parsed
    .filter((item) => item.kind === 'V')
    .sort((a, b) => compareVersions(a.version, b.version))
    .map((item) => item.file);
  const repeatable = byName(parsed.filter((item) => item.kind === 'R').map((item) => item.file));
  return [...versioned, ...repeatable];
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function byName(files: MigrationFile[]): MigrationFile[] {
  return [...files].sort((a, b) =>
    a.path.localeCompare(b.path, 'en', { numeric: true, sensitivity: 'variant' }),
  );
}

function whole(files: MigrationFile[]): MigrationStep[] {
  return files.map((file) => ({ file: file.path, sql: file.text }));
}
