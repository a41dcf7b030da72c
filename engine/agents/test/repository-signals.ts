/**
 * What the fingerprint does not keep but backing services need (issue 14): the service's
 * declared dependencies (its database driver: mysql2, pymongo, …), the datastore URLs written in
 * the repository (`DATABASE_URL=mysql://…` in an .env template, `mongodb://mongo:27017/x` as a
 * default in code, `jdbc:postgresql://db/app` in application.properties) and the `environment:`
 * of the service's own compose service, values included, and the compose secrets it and its stack
 * mount (compose-secrets.ts). Read from the checkout, bounded, with linear-time patterns only:
 * repository text is untrusted.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ev, lineAt } from '../repo-auditor/evidence.ts';
import type { Evidence, Fingerprint, Service } from '../repo-auditor/fingerprint.ts';
import { DEPENDENCY_MANIFESTS } from '../repo-auditor/detect/manifests.ts';
import { isComposeFile, isRecord } from '../repo-auditor/parsers/compose.ts';
import { composeSecretsOf, secretSources, type ComposeSecret } from './compose-secrets.ts';
import { isEnvTemplate, parseEnvFile } from '../repo-auditor/parsers/env-file.ts';
import { parseYaml } from '../repo-auditor/parsers/yaml-safe.ts';

export interface RepositorySignals {
  /** Declared dependencies of the service's manifests (names as the auditor normalises them). */
  dependencies: Array<{ name: string; evidence: Evidence }>;
  /**
   * Datastore URLs in the repository: scheme with its driver (`postgresql+asyncpg`), host, and
   * `name`, the variable, when an assignment says it (.env templates, compose environment).
   */
  urls: Array<{ scheme: string; host: string; name: string | null; evidence: Evidence }>;
  /** `environment:` of the service's own compose service, as written. */
  composeEnv: Array<{ name: string; value: string; evidence: Evidence }>;
  /**
   * What its compose service says it talks to (`depends_on` and `links`), or null when it says
   * nothing: then every datastore of the stack counts.
   */
  composeDependsOn: string[] | null;
  /**
   * The secrets its compose service mounts (/run/secrets/db-password), with what the repository
   * gives each. Their content is secret: never logged.
   */
  composeSecrets: ComposeSecret[];
  /** The other services of its compose stack: their environment (POSTGRES_USER: …), secrets. */
  composeStack: ComposeStackService[];
}

export interface ComposeStackService {
  name: string;
  image: string | null;
  env: Record<string, string>;
  /** What it mounts: a datastore reads its password from one (POSTGRES_PASSWORD_FILE). */
  secrets: ComposeSecret[];
}

export const NO_SIGNALS: RepositorySignals = {
  dependencies: [],
  urls: [],
  composeEnv: [],
  composeDependsOn: null,
  composeSecrets: [],
  composeStack: [],
};

/** Where connection defaults are written: code and configuration, not data or docs. */
const SCANNED = /\.(?:[cm]?[jt]sx?|py|go|java|kt|properties|ya?ml|toml|ini|cfg|conf|env)$/;
const SKIPPED_DIRS = new Set([
  'node_modules',
  '.git',
  'vendor',
  'dist',
  'build',
  'target',
  '.venv',
  'venv',
  '__pycache__',
  '.next',
  'coverage',
]);
const MAX_FILES = 3000;
const MAX_BYTES = 256 * 1024;
/** scheme(+driver)://userinfo@host:port — one pass, no nested quantifiers. */
const URL_PATTERN =
  /\b((?:postgres(?:ql)?|mysql|mariadb|mongodb|rediss?|amqps?)(?:\+[a-z0-9]+)?):\/\/([^\s'"`/?#,)]*)/gi;

/** Reads the signals of `service` from the checkout at `repoDir`. Never throws on bad files. */
export function readRepositorySignals(
  repoDir: string,
  service: Service,
  fingerprint: Fingerprint,
): RepositorySignals {
  const signals: RepositorySignals = { ...NO_SIGNALS, dependencies: [], urls: [] };
  const files = listFiles(repoDir, service.path);
  for (const file of files) {
    const name = file.slice(file.lastIndexOf('/') + 1);
    const text = readText(repoDir, file);
    if (text === undefined) continue;
    const parse = DEPENDENCY_MANIFESTS[name];
    if (parse && dirOf(file) === service.path) {
      const parsed = safely(() => parse(file, service.path, text));
      if (parsed?.ok)
        for (const [dependency, evidence] of parsed.manifest.deps)
          signals.dependencies.push({ name: dependency, evidence });
    }
    if (isEnvTemplate(name) || name === '.env') {
      for (const entry of parseEnvFile(text))
        for (const url of urlsIn(entry.value))
          signals.urls.push({ ...url, name: entry.name, evidence: ev(file, entry.line) });
    } else if (SCANNED.test(name) && !isComposeFile(name)) {
      // Compose files are read below, for the service's own `environment:` only.
      for (const url of urlsIn(text))
        signals.urls.push({ ...url, name: null, evidence: ev(file, lineAt(text, url.index)) });
    }
  }
  Object.assign(signals, composeOf(repoDir, service, fingerprint));
  for (const entry of signals.composeEnv)
    for (const url of urlsIn(entry.value))
      signals.urls.push({ ...url, name: entry.name, evidence: entry.evidence });
  return signals;
}

/** The datastore kind a URL scheme names (postgresql+psycopg2 → postgres), or null. */
export function datastoreOfScheme(
  scheme: string,
): 'postgres' | 'mysql' | 'redis' | 'rabbitmq' | 'mongodb' | null {
  const base =
    scheme
      .toLowerCase()
      .replace(/^jdbc:/, '')
      .split('+')[0] ?? '';
  if (base === 'postgres' || base === 'postgresql') return 'postgres';
  if (base === 'mysql' || base === 'mariadb') return 'mysql';
  if (base === 'redis' || base === 'rediss') return 'redis';
  if (base === 'amqp' || base === 'amqps') return 'rabbitmq';
  if (base === 'mongodb') return 'mongodb';
  return null;
}

function urlsIn(text: string): Array<{ scheme: string; host: string; index: number }> {
  return [...text.matchAll(URL_PATTERN)].map((match) => {
    const authority = match[2] ?? '';
    const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
    // `host:port` or a list `a:1,b:2` (cut at the comma above); IPv6 hosts keep their brackets.
    const host = hostPort.startsWith('[') ? hostPort : (hostPort.split(':')[0] ?? '');
    // jdbc:postgresql://… keeps its prefix: a JDBC URL must stay one.
    const jdbc = text.slice(Math.max(0, match.index - 5), match.index).toLowerCase() === 'jdbc:';
    const scheme = `${jdbc ? 'jdbc:' : ''}${(match[1] ?? '').toLowerCase()}`;
    return { scheme, host, index: match.index };
  });
}

/**
 * The compose service that builds this service (its build context is the service's folder, or
 * the only built service of a file next to or above it), with its environment values; and the
 * environment of the other services of that file (the datastores' settings).
 */
function composeOf(repoDir: string, service: Service, fingerprint: Fingerprint) {
  const composeEnv: RepositorySignals['composeEnv'] = [];
  const composeStack: RepositorySignals['composeStack'] = [];
  const composeSecrets: RepositorySignals['composeSecrets'] = [];
  let composeDependsOn: string[] | null = null;
  for (const file of fingerprint.composeFiles) {
    if (!isWithin(service.path, dirOf(file.path))) continue;
    const text = readText(repoDir, file.path);
    const parsed = text === undefined ? undefined : safely(() => parseYaml(text));
    const doc = parsed?.ok ? parsed.docs[0] : undefined;
    const root = doc?.value;
    if (!doc || !isRecord(root) || !isRecord(root.services)) continue;
    const built = file.services.filter((compose) => compose.build !== null);
    const own =
      built.find((compose) => compose.build === service.path) ??
      (built.length === 1 ? built[0] : undefined);
    const sources = secretSources(repoDir, file.path, root);
    for (const compose of file.services) {
      const spec = root.services[compose.name];
      const entries = environmentOf(isRecord(spec) ? spec.environment : undefined);
      const secrets = composeSecretsOf(doc, file.path, compose.name, sources);
      if (compose !== own) {
        const env = Object.fromEntries(entries.map((entry) => [entry.name, entry.value]));
        composeStack.push({ name: compose.name, image: compose.image, env, secrets });
        continue;
      }
      composeSecrets.push(...secrets);
      const talksTo = dependenciesOf(isRecord(spec) ? spec : {});
      if (talksTo) composeDependsOn = [...(composeDependsOn ?? []), ...talksTo];
      for (const entry of entries) {
        const path = ['services', compose.name, 'environment', entry.key];
        const evidence = ev(file.path, doc.keyLine(path));
        composeEnv.push({ name: entry.name, value: entry.value, evidence });
      }
    }
  }
  return { composeEnv, composeDependsOn, composeSecrets, composeStack };
}

/** Service names in `depends_on` (list or map) and `links` (`name` or `name:alias`), or null. */
function dependenciesOf(spec: Record<string, unknown>): string[] | null {
  const names: string[] = [];
  const dependsOn = spec.depends_on;
  if (Array.isArray(dependsOn)) names.push(...dependsOn.map(String));
  else if (isRecord(dependsOn)) names.push(...Object.keys(dependsOn));
  if (Array.isArray(spec.links))
    names.push(...spec.links.map((link) => String(link).split(':')[0] ?? ''));
  const declared = spec.depends_on !== undefined || spec.links !== undefined;
  return declared ? names.filter(Boolean) : null;
}

/** `environment:` as a list (`- KEY=value`) or a map (`KEY: value`). */
function environmentOf(environment: unknown) {
  const out: Array<{ name: string; value: string; key: string | number }> = [];
  if (Array.isArray(environment)) {
    environment.forEach((item, index) => {
      const [name = '', ...rest] = String(item).split('=');
      if (name.trim()) out.push({ name: name.trim(), value: rest.join('='), key: index });
    });
  } else if (isRecord(environment)) {
    for (const [name, value] of Object.entries(environment))
      out.push({ name, value: value === null ? '' : String(value), key: name });
  }
  return out;
}

/** Repository-relative files under `dir` and the env templates of the repository root. */
function listFiles(repoDir: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (relative: string) => {
    let entries;
    try {
      entries = readdirSync(join(repoDir, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (out.length >= MAX_FILES) return;
      const path = relative === '.' ? entry.name : `${relative}/${entry.name}`;
      // Symlinks are not followed: they may point anywhere on the host.
      if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) walk(path);
      else if (entry.isFile()) out.push(path);
    }
  };
  walk(dir);
  if (dir !== '.') {
    const root = safely(() => readdirSync(repoDir)) ?? [];
    for (const name of root) if (isEnvTemplate(name) || name === '.env') out.push(name);
  }
  return out;
}

function readText(repoDir: string, file: string): string | undefined {
  const path = join(repoDir, file);
  const stat = safely(() => lstatSync(path));
  if (!stat?.isFile() || stat.size > MAX_BYTES) return undefined;
  return safely(() => readFileSync(path, 'utf8'));
}

function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '.' : path.slice(0, slash);
}

function isWithin(path: string, dir: string): boolean {
  return dir === '.' || path === dir || path.startsWith(`${dir}/`);
}
