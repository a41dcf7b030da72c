/**
 * Applies a repository's SQL migrations to a throwaway PostgreSQL (local/postgres:base) with the
 * image's own psql, file by file in the tool's order, stopping at the first error. The SQL goes
 * in through the archive API and psql connects over the container's socket, so this works on a
 * remote Docker Engine and nothing of the repository runs on the host.
 */
import type Docker from 'dockerode';
import { spawn } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { execIn } from './container-exec.ts';
import { planSqlMigrations, type MigrationFile, type MigrationPlan } from './sql-migrations.ts';

const IN_CONTAINER = '/tmp/prodsprint-migrations';
/** Larger files are data dumps, not migrations; reading them would only cost memory. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

export interface AppliedMigrations {
  /** The format the files were read as (dbmate, golang-migrate, flyway, prisma, goose, plain). */
  tool: MigrationPlan['format'];
  /** Repository-relative paths, in the order they ran. */
  files: string[];
}

/** A migration psql refused; `file` is repository-relative, `message` is psql's. */
export class MigrationFailedError extends Error {
  readonly file: string;
  readonly psqlMessage: string;
  constructor(file: string, psqlMessage: string) {
    super(`migration ${file} failed: ${psqlMessage}`);
    this.name = 'MigrationFailedError';
    this.file = file;
    this.psqlMessage = psqlMessage;
  }
}

export interface ApplySqlMigrationsOptions {
  docker: Docker;
  /** A running local/postgres:base container. */
  container: Docker.Container;
  repoDir: string;
  /** The migrations folder, repository-relative (the fingerprint's migrations.path). */
  dir: string;
  user: string;
  database: string;
  signal?: AbortSignal;
  onProgress?(line: string): void;
}

/** Runs the folder's SQL migrations; null when it holds none (code migrations, no folder). */
export async function applySqlMigrations(
  options: ApplySqlMigrationsOptions,
): Promise<AppliedMigrations | null> {
  const folder = join(options.repoDir, options.dir);
  const plan = planSqlMigrations(readSqlFiles(folder));
  if (!plan || plan.steps.length === 0) return null;
  const staging = mkdtempSync(join(tmpdir(), 'prodsprint-migrations-'));
  try {
    // Numbered copies: the order is ours, and the names psql prints map back to the files.
    const named = plan.steps.map((step, index) => ({
      file: posixJoin(options.dir, step.file),
      staged: `${String(index + 1).padStart(4, '0')}.sql`,
      sql: step.sql,
    }));
    mkdirSync(join(staging, 'prodsprint-migrations'));
    for (const step of named)
      writeFileSync(join(staging, 'prodsprint-migrations', step.staged), step.sql);
    await options.container.putArchive(tarOf(staging), { path: '/tmp' });
    const applied: string[] = [];
    for (const step of named) {
      options.signal?.throwIfAborted();
      const staged = `${IN_CONTAINER}/${step.staged}`;
      const result = await execIn(options.docker, options.container, [
        'psql',
        '-X',
        '-q',
        '-v',
        'ON_ERROR_STOP=1',
        '-U',
        options.user,
        '-d',
        options.database,
        '-f',
        staged,
      ]);
      if (result.exitCode !== 0) {
        const message = (result.stderr || result.stdout).split(staged).join(step.file).trim();
        throw new MigrationFailedError(step.file, message || `psql exited ${result.exitCode}`);
      }
      applied.push(step.file);
      options.onProgress?.(`applied migration ${step.file}`);
    }
    return { tool: plan.format, files: applied };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** `*.sql` in the folder and one level down (prisma keeps one folder per migration). */
function readSqlFiles(folder: string): MigrationFile[] {
  let entries: string[];
  try {
    entries = readdirSync(folder, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.endsWith('.sql') && entry.split(sep).length <= 2)
    .flatMap((entry) => {
      const path = join(folder, entry);
      // lstat: a symlink could point anywhere on the host, and its target would go into a container.
      const stat = lstatSync(path, { throwIfNoEntry: false });
      if (!stat?.isFile() || stat.size > MAX_FILE_BYTES) return [];
      return [
        { path: relative(folder, path).split(sep).join('/'), text: readFileSync(path, 'utf8') },
      ];
    });
}

function posixJoin(dir: string, file: string): string {
  return dir === '.' || dir === '' ? file : `${dir.replace(/\/+$/, '')}/${file}`;
}

/** The staging dir's `prodsprint-migrations/` as a tar owned by uid 1000 (psql's user). */
function tarOf(staging: string): NodeJS.ReadableStream {
  const tar = spawn(
    'tar',
    [
      '-C',
      staging,
      '--owner=1000',
      '--group=1000',
      '--numeric-owner',
      '-c',
      'prodsprint-migrations',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return tar.stdout;
}
