/**
 * The offline inputs a sprint needs, as doctor lists them (issue 14): the registry and package
 * mirrors (settings), the stand-in base images and backing services this machine can build, and
 * the imported vulnerability data. All optional: a missing one warns with the command that
 * supplies it and never fails the required checklist. The settings and the advisory count are
 * read from the database read-only; with no database yet nothing is configured or imported.
 * Everything runs in parallel, each probe limited to 2 s.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { countAdvisories } from '../../agents/security/vulns/osv-store.ts';
import {
  PACKAGE_ECOSYSTEMS,
  readOfflineSettings,
  type OfflineSettings,
} from '../../environments/local/offline-settings.ts';
import { dataDirLayout } from '../../store/data-dir.ts';
import { inspectDatabaseFile } from '../../store/database.ts';
import { StoreError } from '../../store/store-error.ts';
import { optionalCheck, type DoctorCheck } from './doctor-check.ts';
import type { DoctorDocker } from './doctor-engine.ts';
import { checkBackingServices, checkStandIns } from './doctor-images.ts';
import { checkPackageMirror, checkRegistryMirror } from './doctor-mirrors.ts';

export interface OfflineChecksOptions {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  /** The engine doctor asks (still being located when the other checks start). */
  docker: Promise<DoctorDocker>;
}

/** Why a part of the database could not be read, and what to do about it. */
interface Unreadable {
  unreadable: string;
  remedy: string;
}

/** What the database says, each part on its own: one unreadable part does not hide the other. */
interface Stored {
  settings: OfflineSettings | Unreadable;
  /** Undefined when there is no database yet. */
  advisories: number | Unreadable | undefined;
}

const MIGRATE = 'run `prodsprint init`, which migrates the database, then run doctor again';

const IMPORT_OSV =
  '`prodsprint vulns import <dir|zip>` with an OSV export (a directory of OSV JSON files or a .zip; the vulns.import operation, POST /v1/vulns/import on `prodsprint serve`)';

export async function offlineInputChecks(options: OfflineChecksOptions): Promise<DoctorCheck[]> {
  const stored = readStored(options.dataDir);
  const groups = await Promise.all([
    mirrorChecks(stored.settings, options.env),
    checkStandIns(options.dataDir),
    checkBackingServices(options.docker),
    Promise.resolve([checkVulnerabilityData(stored.advisories)]),
  ]);
  return groups.flat();
}

/**
 * Reads the settings and the advisory count without changing the file: a database that is not
 * ours or is newer is not opened at all (the SQLite check reports it), and the connection is the
 * same kind inspectDatabaseFile uses, so closing it leaves no WAL or shared-memory file behind.
 */
function readStored(dataDir: string): Stored {
  const file = dataDirLayout(dataDir).database;
  if (!existsSync(file)) return { settings: { mirrors: {} }, advisories: undefined };
  let db: Database.Database;
  try {
    inspectDatabaseFile(file);
    db = openForReading(file);
  } catch (error) {
    const unreadable = unreadableFrom(error);
    return { settings: unreadable, advisories: unreadable };
  }
  const attempt = <T>(read: (db: Database.Database) => T): T | Unreadable => {
    try {
      return read(db);
    } catch (error) {
      return unreadableFrom(error);
    }
  };
  try {
    return { settings: attempt(readOfflineSettings), advisories: attempt(countAdvisories) };
  } finally {
    db.close();
  }
}

function openForReading(file: string): Database.Database {
  try {
    return new Database(file, { fileMustExist: true });
  } catch {
    return new Database(file, { readonly: true, fileMustExist: true });
  }
}

function unreadableFrom(error: unknown): Unreadable {
  const message = error instanceof Error ? error.message : String(error);
  return { unreadable: message, remedy: error instanceof StoreError ? error.remedy : MIGRATE };
}

const isUnreadable = (value: unknown): value is Unreadable =>
  typeof value === 'object' && value !== null && 'unreadable' in value;

async function mirrorChecks(
  settings: OfflineSettings | Unreadable,
  env: NodeJS.ProcessEnv,
): Promise<DoctorCheck[]> {
  if (isUnreadable(settings))
    return [
      optionalCheck('mirrors', 'Registry and package mirrors', {
        ok: false,
        detail: `cannot read the mirror settings: ${settings.unreadable}`,
        remedy:
          settings.remedy === MIGRATE
            ? `${MIGRATE}; a value edited outside ProdSprint is replaced with \`prodsprint config set <key> <url>\` or removed with \`prodsprint config unset <key>\``
            : settings.remedy,
      }),
    ];
  return Promise.all([
    checkRegistryMirror(settings.registryMirror, env),
    ...PACKAGE_ECOSYSTEMS.map((ecosystem) =>
      checkPackageMirror(ecosystem, settings.mirrors[ecosystem], env),
    ),
  ]);
}

/** The vulnerability gate denies when no advisory was ever imported (nothing to match against). */
export function checkVulnerabilityData(advisories: number | Unreadable | undefined): DoctorCheck {
  const check = (result: Parameters<typeof optionalCheck>[2]) =>
    optionalCheck('vulnerability-data', 'Vulnerability data (OSV)', result);
  if (advisories === undefined)
    return check({
      ok: false,
      detail:
        'no database yet, so no advisories are imported: the vulnerability gate would deny every release',
      remedy: `run \`prodsprint init\`, then ${IMPORT_OSV}`,
    });
  if (isUnreadable(advisories))
    return check({
      ok: false,
      detail: `cannot count the imported advisories: ${advisories.unreadable}`,
      remedy: advisories.remedy,
    });
  if (advisories === 0)
    return check({
      ok: false,
      detail:
        'no advisories imported: the vulnerability gate denies every release (a scan against nothing cannot be shown clean)',
      remedy: `import them: ${IMPORT_OSV}`,
    });
  return check({
    ok: true,
    detail: `${advisories} advisor${advisories === 1 ? 'y' : 'ies'} imported (refresh with \`prodsprint vulns import\` as new exports arrive)`,
  });
}
