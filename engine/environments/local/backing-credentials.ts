/**
 * The credentials of an environment's backing services (issue 14): generated once per project and
 * environment, kept in `<environment dir>/backing-services.json` with mode 0600, and nowhere else
 * (never SQLite, logs, events or errors). Every read registers the passwords with the caller's
 * redactor, so whatever prints them afterwards (app logs, test output) shows them redacted.
 *
 * Losing the file is not fatal: the images apply the credentials they are given on every start,
 * so new ones replace the old in a kept volume.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  CredentialHints,
  Credentials,
  Datastore,
  DatastoreKind,
} from '../../agents/test/index.ts';
import type { Redactor } from '../../secrets/redact.ts';

const FILE = 'backing-services.json';
const VERSION = 1;

interface CredentialsFile {
  version: typeof VERSION;
  services: Partial<Record<Datastore, Credentials>>;
}

export function credentialsPath(environmentDir: string): string {
  return join(environmentDir, FILE);
}

/**
 * The credentials of each of `kinds`: the kept ones, else new ones written to the file first.
 * The caller holds the environment's backing-services lock.
 */
export function credentialsFor(
  environmentDir: string,
  kinds: DatastoreKind[],
  redactor: Redactor,
  /** Names the repository's compose file gives (composeCredentials); passwords are not taken. */
  hints: Partial<Record<Datastore, CredentialHints>> = {},
): Map<Datastore, Credentials> {
  const file = readCredentials(environmentDir);
  let changed = false;
  for (const kind of kinds) {
    if (file.services[kind.datastore]) continue;
    const hint = hints[kind.datastore] ?? {};
    file.services[kind.datastore] = {
      user: kind.credentials.user === null ? null : (hint.user ?? kind.credentials.user),
      // Hex: valid in URLs, SQL literals and the images' entrypoint checks without escaping.
      // Never the repository's own password: that one is committed for anyone to read.
      password: kind.credentials.password ? randomBytes(18).toString('hex') : null,
      database:
        kind.credentials.database === null ? null : (hint.database ?? kind.credentials.database),
    };
    changed = true;
  }
  if (changed) writeCredentials(environmentDir, file);
  const out = new Map<Datastore, Credentials>();
  for (const kind of kinds) {
    const credentials = file.services[kind.datastore]!;
    if (credentials.password) redactor.register(credentials.password);
    out.set(kind.datastore, credentials);
  }
  return out;
}

/** Forgets the credentials (with the volumes they opened). */
export function forgetCredentials(environmentDir: string): void {
  writeCredentials(environmentDir, { version: VERSION, services: {} });
}

function readCredentials(environmentDir: string): CredentialsFile {
  let text: string;
  try {
    text = readFileSync(credentialsPath(environmentDir), 'utf8');
  } catch {
    return { version: VERSION, services: {} };
  }
  const parsed = JSON.parse(text) as CredentialsFile;
  if (parsed.version !== VERSION)
    throw new Error(`${credentialsPath(environmentDir)} has version ${String(parsed.version)}`);
  return parsed;
}

/** Written 0600 to a temporary file and renamed: never readable by others, never half written. */
function writeCredentials(environmentDir: string, file: CredentialsFile): void {
  mkdirSync(environmentDir, { recursive: true });
  const path = credentialsPath(environmentDir);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
