/**
 * Docker Compose secrets (issue 14). Sample and production stacks hand a database password to
 * both sides as a file: the top-level `secrets: db-password: file: db/password.txt`, mounted by
 * the app and the database (`secrets: [db-password]`), which land at /run/secrets/db-password;
 * the database reads it through `MYSQL_ROOT_PASSWORD_FILE` / `POSTGRES_PASSWORD_FILE`, the app
 * through `DATABASE_PASSWORD=/run/secrets/db-password` or by reading the path in code. This reads
 * what a compose service mounts (short syntax `- name`, long syntax `- source: name` with an
 * optional `target`), where each lands and what the repository gives it: the secret's `file:`
 * (relative to the compose file) or, for `environment: VAR`, VAR's value in the `.env` beside
 * it (what compose reads), else in an env template there.
 *
 * The repository is untrusted and these are secrets: a file is read only inside the checkout,
 * never through a symbolic link (any component), never past 64 KiB; what cannot be read says why.
 * https://github.com/compose-spec/compose-spec/blob/main/09-secrets.md
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from 'node:fs';
import { join, posix } from 'node:path';
import { ev } from '../repo-auditor/evidence.ts';
import type { Evidence } from '../repo-auditor/fingerprint.ts';
import { isRecord } from '../repo-auditor/parsers/compose.ts';
import { parseEnvFile } from '../repo-auditor/parsers/env-file.ts';
import type { YamlDoc } from '../repo-auditor/parsers/yaml-safe.ts';

/** One secret a compose service mounts. */
export interface ComposeSecret {
  /** The top-level secret's name (`source` in the long syntax). */
  name: string;
  /** Absolute path in the container: the long syntax's `target`, else /run/secrets/<name>. */
  target: string;
  /** What the repository gives it; null when it cannot (see `unavailable`). */
  content: string | null;
  /** Why the repository cannot give its content (outside the checkout, a link, …), else null. */
  unavailable: string | null;
  /** The mount in the compose file. */
  evidence: Evidence;
}

export const MAX_SECRET_BYTES = 64 * 1024;
const MAX_SECRETS = 64;
const SECRETS_DIR = '/run/secrets';
/** What compose reads variables from, then what a developer copies it from. */
const ENV_FILES = [
  '.env',
  '.env.example',
  '.env.sample',
  '.env.template',
  '.env.dist',
  '.env.defaults',
];

type Source = { content: string; unavailable: null } | { content: null; unavailable: string };

/**
 * The secrets `serviceName` mounts in the compose file `composePath` (repository-relative),
 * whose parsed document is `doc`. Sources are read once per file through `sources`.
 */
export function composeSecretsOf(
  doc: YamlDoc,
  composePath: string,
  serviceName: string,
  sources: (name: string) => Source,
): ComposeSecret[] {
  const root = doc.value;
  const spec = isRecord(root) && isRecord(root.services) ? root.services[serviceName] : undefined;
  const mounts = isRecord(spec) && Array.isArray(spec.secrets) ? spec.secrets : [];
  const out: ComposeSecret[] = [];
  mounts.slice(0, MAX_SECRETS).forEach((mount, index) => {
    const name = isRecord(mount) ? mount.source : mount;
    if (typeof name !== 'string' || name === '' || name.length > 128) return;
    const target = targetOf(name, isRecord(mount) ? mount.target : undefined);
    if (!target) return;
    const evidence = ev(composePath, doc.keyLine(['services', serviceName, 'secrets', index]));
    out.push({ name, target, ...sources(name), evidence });
  });
  return out;
}

/**
 * Reads the top-level `secrets:` of a compose file lazily: `sources(name)` gives a secret's
 * content from the checkout at `repoDir`, or why it cannot.
 */
export function secretSources(
  repoDir: string,
  composePath: string,
  root: unknown,
): (name: string) => Source {
  const declared = isRecord(root) && isRecord(root.secrets) ? root.secrets : {};
  const composeDir = posix.dirname(composePath);
  const cache = new Map<string, Source>();
  return (name) => {
    let source = cache.get(name);
    if (!source) {
      source = sourceOf(repoDir, composeDir, composePath, name, declared[name]);
      cache.set(name, source);
    }
    return source;
  };
}

function sourceOf(
  repoDir: string,
  composeDir: string,
  composePath: string,
  name: string,
  spec: unknown,
): Source {
  const missing = (why: string): Source => ({
    content: null,
    unavailable: `secret ${name} ${why}`,
  });
  if (!isRecord(spec))
    return missing(`is not declared under the top-level secrets: of ${composePath}`);
  if (spec.external === true || isRecord(spec.external))
    return missing('is external (made with docker secret create): the repository does not hold it');
  if (typeof spec.file === 'string') {
    const read = readRepositoryFile(repoDir, composeDir, spec.file);
    return 'content' in read ? { content: read.content, unavailable: null } : missing(read.refused);
  }
  if (typeof spec.environment === 'string') {
    const variable = spec.environment;
    for (const file of ENV_FILES) {
      const read = readRepositoryFile(repoDir, composeDir, file);
      if (!('content' in read)) continue;
      const entry = parseEnvFile(read.content).find((e) => e.name === variable && e.hasValue);
      if (entry) return { content: entry.value, unavailable: null };
    }
    return missing(
      `comes from the variable ${variable}, which no .env or env template beside ${composePath} sets`,
    );
  }
  return missing('has neither file: nor environment:');
}

/** Where a mount lands; null for a target that climbs, is relative to nothing, or is odd. */
function targetOf(name: string, target: unknown): string | null {
  const raw = typeof target === 'string' && target !== '' ? target : name;
  const path = raw.startsWith('/') ? raw : `${SECRETS_DIR}/${raw}`;
  const odd = path.includes('\0') || path.includes('${') || path.endsWith('/');
  if (odd || path.length > 255 || posix.normalize(path) !== path) return null;
  return path;
}

/**
 * The text of `file` (relative to `dir`, both repository-relative) when it is a regular file
 * inside the checkout reached through no symbolic link and at most MAX_SECRET_BYTES long.
 */
export function readRepositoryFile(
  repoDir: string,
  dir: string,
  file: string,
): { content: string } | { refused: string } {
  if (file.includes('${')) return { refused: `file ${file} is interpolated at run time` };
  const absolute = file.startsWith('/') || file.startsWith('~') || /^[A-Za-z]:/.test(file);
  const relative = posix.normalize(posix.join(dir, file));
  if (absolute || relative === '..' || relative.startsWith('../'))
    return {
      refused: `file ${file} is outside the repository: only files of the checkout are read`,
    };
  const parts = relative.split('/');
  for (let depth = 1; depth <= parts.length; depth++) {
    const partial = parts.slice(0, depth).join('/');
    let stat;
    try {
      stat = lstatSync(join(repoDir, partial));
    } catch {
      return { refused: `file ${relative} is not in the repository` };
    }
    if (stat.isSymbolicLink())
      return {
        refused: `file ${relative} goes through a symbolic link (${partial}): not followed`,
      };
  }
  let fd: number;
  try {
    // O_NOFOLLOW: a link swapped in after the walk is refused too.
    fd = openSync(join(repoDir, relative), constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return { refused: `file ${relative} cannot be opened` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { refused: `file ${relative} is not a regular file` };
    if (stat.size > MAX_SECRET_BYTES)
      return { refused: `file ${relative} is larger than ${MAX_SECRET_BYTES / 1024} KiB` };
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return { content: buffer.subarray(0, read).toString('utf8') };
  } finally {
    closeSync(fd);
  }
}
