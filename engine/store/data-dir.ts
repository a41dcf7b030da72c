import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { StoreError } from './store-error.ts';

export interface DataDirSources {
  /** `--data-dir` from the command line; wins over everything. */
  flag?: string | undefined;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

/**
 * Where ProdSprint keeps its database, keys and artifacts: `--data-dir`, else PRODSPRINT_HOME,
 * else the OS convention (XDG on Linux, Application Support on macOS, APPDATA on Windows).
 */
export function resolveDataDir(sources: DataDirSources = {}): string {
  const env = sources.env ?? process.env;
  if (sources.flag) return sources.flag;
  if (env.PRODSPRINT_HOME) return env.PRODSPRINT_HOME;
  const home = sources.home ?? homedir();
  switch (sources.platform ?? process.platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'ProdSprint');
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'ProdSprint');
    default:
      return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'prodsprint');
  }
}

/** The files inside a data dir. One place, so nothing guesses a path. */
export function dataDirLayout(dataDir: string) {
  return {
    root: dataDir,
    database: join(dataDir, 'prodsprint.db'),
    keys: join(dataDir, 'keys'),
    artifacts: join(dataDir, 'artifacts'),
    /** Imported checkouts, one folder per project id. */
    repos: join(dataDir, 'repos'),
    logs: join(dataDir, 'logs'),
  };
}

/**
 * Creates the data dir if needed and proves it is writable by writing and removing a probe
 * file. Permission bits alone do not tell (root ignores them; read-only mounts ignore them).
 */
export function ensureWritableDataDir(dataDir: string): void {
  const probe = join(dataDir, `.write-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new StoreError(
      'data-dir-not-writable',
      dataDir,
      `data dir ${dataDir} is not writable (${code})`,
      'give this user write access to it, or choose another with --data-dir DIR or PRODSPRINT_HOME',
      error,
    );
  }
}
