/**
 * The host's dpkg database, read once: which Debian packages are installed, what they depend
 * on, and the dependency closure of a set of them. A stand-in base image is assembled from the
 * packages this machine already has (nothing is downloaded), and its own dpkg database must be
 * consistent (every Depends/Pre-Depends of an included package satisfied by an included one) or
 * the first `apt-get install` in a user's Dockerfile fails with "unmet dependencies".
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const DPKG_DIR = '/var/lib/dpkg';

export interface InstalledPackage {
  /** Package name without architecture: `libc6`. */
  name: string;
  version: string;
  architecture: string;
  /** `required`, `important`, `optional`, … */
  priority: string;
  essential: boolean;
  /** Comma groups of `|` alternatives, each `name[:arch]`, version constraints dropped. */
  depends: string[][];
  /** Names (without versions) of the virtual packages this one provides. */
  provides: string[];
  /** The stanza exactly as the host's status file has it (no trailing blank line). */
  stanza: string;
}

export interface DpkgDatabase {
  /** Installed packages of the native architecture or `all`, by name. */
  packages: Map<string, InstalledPackage>;
  /** Virtual package → installed providers. */
  providers: Map<string, string[]>;
  nativeArchitecture: string;
  /** Names of the files in <dpkg>/info, by package name (`libc6:amd64.list` → libc6). */
  infoFiles: Map<string, string[]>;
}

/** Parses a dpkg status file; keeps installed packages of `nativeArchitecture` or `all`. */
export function parseDpkgStatus(text: string, nativeArchitecture: string): DpkgDatabase {
  const packages = new Map<string, InstalledPackage>();
  const providers = new Map<string, string[]>();
  for (const stanza of text.split(/\n\n+/)) {
    const fields = parseStanza(stanza);
    const status = fields.get('status') ?? '';
    const architecture = fields.get('architecture') ?? '';
    const name = fields.get('package');
    if (!name || !/ (?:ok|reinstreq) installed$/.test(status)) continue;
    if (architecture !== nativeArchitecture && architecture !== 'all') continue;
    const depends = [fields.get('pre-depends'), fields.get('depends')]
      .filter((value): value is string => Boolean(value))
      .flatMap(relationGroups);
    const provides = relationGroups(fields.get('provides') ?? '').map(
      (group) => group[0] as string,
    );
    packages.set(name, {
      name,
      version: fields.get('version') ?? '',
      architecture,
      priority: fields.get('priority') ?? '',
      essential: fields.get('essential') === 'yes',
      depends,
      provides,
      stanza: stanza.trim(),
    });
    for (const virtual of provides)
      providers.set(virtual, [...(providers.get(virtual) ?? []), name]);
  }
  return { packages, providers, nativeArchitecture, infoFiles: new Map() };
}

let cached: { key: string; database: DpkgDatabase } | undefined;

/** The host's database (re-read when the status file changes). */
export function hostDpkgDatabase(dpkgDir = DPKG_DIR): DpkgDatabase {
  const stat = statSync(join(dpkgDir, 'status'));
  const key = `${dpkgDir}\0${stat.size}\0${stat.mtimeMs}`;
  if (cached?.key === key) return cached.database;
  const text = readFileSync(join(dpkgDir, 'status'), 'utf8');
  const database = parseDpkgStatus(text, nativeArchitecture(text));
  for (const file of readdirSync(join(dpkgDir, 'info'))) {
    const dot = file.lastIndexOf('.');
    if (dot <= 0) continue;
    const name = file.slice(0, dot).split(':')[0] as string;
    database.infoFiles.set(name, [...(database.infoFiles.get(name) ?? []), file]);
  }
  cached = { key, database };
  return database;
}

/**
 * The packages `roots` need: `roots` plus, transitively, one installed package for every
 * Depends/Pre-Depends group (the first alternative that is installed, else the first installed
 * provider of a virtual alternative — preferring one among the roots or already chosen). Roots that are not
 * installed are returned in `missing`; so are groups nothing installed satisfies.
 */
export function dependencyClosure(
  database: DpkgDatabase,
  roots: string[],
): { packages: InstalledPackage[]; missing: string[] } {
  const chosen = new Map<string, InstalledPackage>();
  const missing: string[] = [];
  const queue = [...roots];
  const wanted = new Set(roots);
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    if (chosen.has(name)) continue;
    const installed = database.packages.get(name);
    if (!installed) {
      missing.push(name);
      continue;
    }
    chosen.set(name, installed);
    for (const group of installed.depends) {
      const pick = satisfy(
        database,
        group,
        (candidate) => chosen.has(candidate) || wanted.has(candidate),
      );
      if (pick) queue.push(pick);
      else missing.push(`${installed.name} needs ${group.join(' | ')}`);
    }
  }
  const packages = [...chosen.values()].sort((a, b) => a.name.localeCompare(b.name));
  return { packages, missing: [...new Set(missing)] };
}

/** Priority: required and Essential: yes packages: what every Debian root file system has. */
export function basePackageNames(database: DpkgDatabase): string[] {
  return [...database.packages.values()]
    .filter((item) => item.priority === 'required' || item.essential)
    .map((item) => item.name);
}

/**
 * The installed package that owns each path (compared in merged-/usr form, so `/lib/x/libc.so.6`
 * from ldd finds libc6's `/lib/x/libc.so.6` or `/usr/lib/x/libc.so.6`). Paths no package owns
 * are left out of the map.
 */
export function packagesOwning(database: DpkgDatabase, paths: string[]): Map<string, string> {
  const wanted = new Map(paths.map((path) => [usrMerged(path), path]));
  const owners = new Map<string, string>();
  for (const item of database.packages.values()) {
    const list = infoFilesOf(database, item.name).find((file) => file.endsWith('.list'));
    if (!list) continue;
    for (const line of readFileSync(join(DPKG_DIR, 'info', list), 'utf8').split('\n')) {
      const original = wanted.get(usrMerged(line));
      if (original && !owners.has(original)) owners.set(original, item.name);
    }
    if (owners.size === wanted.size) break;
  }
  return owners;
}

function usrMerged(path: string): string {
  return /^\/(?:bin|sbin|lib|lib64|lib32|libx32)\//.test(path) ? `/usr${path}` : path;
}

/** The info files (list, md5sums, conffiles, maintainer scripts…) of one package. */
export function infoFilesOf(database: DpkgDatabase, name: string): string[] {
  return database.infoFiles.get(name) ?? [];
}

function satisfy(
  database: DpkgDatabase,
  group: string[],
  preferred: (name: string) => boolean,
): string | undefined {
  const names = group.map((alternative) => alternative.split(':')[0] as string);
  const real = names.find((name) => database.packages.has(name));
  if (real) return real;
  for (const name of names) {
    const providers = database.providers.get(name) ?? [];
    const pick = providers.find(preferred) ?? providers[0];
    if (pick) return pick;
  }
  return undefined;
}

/** `a (>= 1), b | c:any` → [['a'], ['b', 'c:any']]. */
function relationGroups(value: string): string[][] {
  return value
    .split(',')
    .map((group) =>
      group
        .split('|')
        .map((alternative) => (alternative.trim().split(/[\s(]/)[0] ?? '').trim())
        .filter(Boolean),
    )
    .filter((group) => group.length > 0);
}

/** Field name (lower case) → value, continuation lines joined with newlines. */
function parseStanza(stanza: string): Map<string, string> {
  const fields = new Map<string, string>();
  let current: string | undefined;
  for (const line of stanza.split('\n')) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && current) {
      fields.set(current, `${fields.get(current)}\n${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    current = line.slice(0, colon).toLowerCase();
    fields.set(current, line.slice(colon + 1).trim());
  }
  return fields;
}

function nativeArchitecture(text: string): string {
  // dpkg's own notion (`dpkg --print-architecture`) without a process: the architecture of the
  // package that is always installed and always native.
  const start = text.indexOf('Package: dpkg\n');
  const match = start >= 0 ? /\nArchitecture: (\S+)/.exec(text.slice(start, start + 2000)) : null;
  if (!match?.[1]) throw new Error('cannot tell the native architecture from the dpkg status');
  return match[1];
}
