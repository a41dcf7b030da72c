/**
 * A Debian 12 root file system assembled from this machine's installed packages (nothing is
 * downloaded): the files `dpkg -L` lists for each included package, copied by one `tar`
 * pipeline, plus what maintainer scripts would have made (users, alternatives, the CA bundle,
 * /etc/localtime) and a dpkg database that lists exactly those packages, so `dpkg` and `apt-get`
 * work inside. Like the official `debian:*-slim` images it leaves out /usr/share/{doc (except
 * copyright),man,info,locale} and tells dpkg to keep doing so.
 *
 * Two flavors: `debian` (Priority: required + Essential + ca-certificates + the extras, with
 * their dependency closure; what every debian-based official image starts from) and
 * `distroless` (exactly the listed packages, no shell or package manager, the package records
 * under /var/lib/dpkg/status.d like gcr.io/distroless so scanners still see them).
 */
import { spawn } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  basePackageNames,
  dependencyClosure,
  DPKG_DIR,
  hostDpkgDatabase,
  infoFilesOf,
  type DpkgDatabase,
  type InstalledPackage,
} from './debian-packages.ts';
import {
  buildLoaderCache,
  copyCertificates,
  readOrEmpty,
  writeDebianState,
  writeDistrolessState,
} from './debian-root-files.ts';
import { hostDiversions } from './dpkg-state.ts';
import { sha256, stampsOf } from './rootfs.ts';

export type RootFlavor = 'debian' | 'distroless';

export interface DebianSelection {
  flavor: RootFlavor;
  packages: InstalledPackage[];
  /** Requested packages this host lacks, and dependencies nothing installed satisfies. */
  missing: string[];
  /** Hash of the package names and versions, the assembly code and the host files it copies. */
  hash: string;
}

/** Top-level directories that are symlinks into /usr on a merged-/usr system (Debian 12). */
const MERGED = ['bin', 'sbin', 'lib', 'lib64', 'lib32', 'libx32'];
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const CODE = [
  fileURLToPath(import.meta.url),
  fileURLToPath(new URL('./debian-root-files.ts', import.meta.url)),
  fileURLToPath(new URL('./root-edit.ts', import.meta.url)),
  fileURLToPath(new URL('./debian-packages.ts', import.meta.url)),
  fileURLToPath(new URL('./dpkg-state.ts', import.meta.url)),
];

/**
 * The packages a root of this flavor holds: for `debian` the base set plus `extras` and their
 * dependency closure; for `distroless` exactly `extras`.
 */
export function selectDebianPackages(
  flavor: RootFlavor,
  extras: string[] = [],
  database: DpkgDatabase = hostDpkgDatabase(),
): DebianSelection {
  let packages: InstalledPackage[];
  let missing: string[];
  if (flavor === 'debian') {
    ({ packages, missing } = dependencyClosure(database, [
      ...basePackageNames(database),
      'ca-certificates',
      ...extras,
    ]));
  } else {
    packages = extras.flatMap((name) => database.packages.get(name) ?? []);
    missing = extras.filter((name) => !database.packages.has(name));
  }
  const hash = sha256(
    flavor,
    packages.map((item) => `${item.name} ${item.version} ${item.architecture}`).join('\n'),
    ...CODE.map((file) => readFileSync(file)),
    stampsOf([CA_BUNDLE].filter(existsSync)),
  );
  return { flavor, packages, missing, hash };
}

/** Builds the root in a new temporary directory and returns its path (the caller removes it). */
export async function assembleDebianRoot(
  selection: DebianSelection,
  database: DpkgDatabase = hostDpkgDatabase(),
): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'prodsprint-debian-root-'));
  try {
    // mkdtemp makes the directory 0700: as the image's / it would lock out every other user.
    chmodSync(root, 0o755);
    const included = new Set(selection.packages.map((item) => item.name));
    const { copy, renames } = fileList(selection.packages, included, database);
    await copyFromHost(copy, root);
    for (const { from, to } of renames) cpSync(from, join(root, to), { verbatimSymlinks: true });
    for (const dir of MERGED) {
      if (!isMergedOnHost(dir) || existsSync(join(root, dir))) continue;
      if (dir === 'bin' || dir === 'sbin' || dir === 'lib' || existsSync(join(root, 'usr', dir)))
        symlinkSync(`usr/${dir}`, join(root, dir));
    }
    for (const [dir, mode] of [
      ['tmp', 0o1777],
      ['var/tmp', 0o1777],
      ['root', 0o700],
      ['home', 0o755],
      ['run', 0o755],
      ['proc', 0o555],
      ['sys', 0o555],
      ['dev', 0o755],
      ['etc', 0o755],
    ] as const) {
      mkdirSync(join(root, dir), { recursive: true });
      chmodSync(join(root, dir), mode);
    }
    copyCertificates(root, included);
    if (selection.flavor === 'debian') writeDebianState(root, selection.packages, included);
    else writeDistrolessState(root, selection.packages);
    await buildLoaderCache(root);
    return root;
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Every path of the included packages, as paths relative to / in merged-/usr form, left out
 * what slim images leave out; plus files diverted away by a package that is not included
 * (their content lives at the diverted-to path on the host, and goes back to its own path).
 */
function fileList(
  packages: InstalledPackage[],
  included: Set<string>,
  database: DpkgDatabase,
): { copy: string[]; renames: Array<{ from: string; to: string }> } {
  const diversions = hostDiversions(readOrEmpty(join(DPKG_DIR, 'diversions')));
  const paths = new Set<string>();
  const renames: Array<{ from: string; to: string }> = [];
  for (const item of packages) {
    for (const path of listedPaths(item, database)) {
      if (path === '/.' || slimExcluded(path)) continue;
      const diverted = diversions.get(path);
      if (diverted && diverted.owner !== item.name) {
        if (included.has(diverted.owner)) paths.add(merged(diverted.to));
        else renames.push({ from: diverted.to, to: merged(path) });
        continue;
      }
      paths.add(merged(path));
    }
    for (const file of infoFilesOf(database, item.name)) paths.add(`${DPKG_DIR}/info/${file}`);
  }
  const copy = [...paths]
    .filter(exists)
    .map((path) => path.slice(1))
    .sort();
  return { copy, renames: renames.filter((rename) => exists(rename.from)) };
}

function listedPaths(item: InstalledPackage, database: DpkgDatabase): string[] {
  const list = infoFilesOf(database, item.name).find((file) => file.endsWith('.list'));
  if (!list) return [];
  return readFileSync(join(DPKG_DIR, 'info', list), 'utf8')
    .split('\n')
    .filter(Boolean);
}

function slimExcluded(path: string): boolean {
  for (const dir of ['/usr/share/man/', '/usr/share/info/', '/usr/share/locale/'])
    if (path.startsWith(dir)) return true;
  if (!path.startsWith('/usr/share/doc/')) return false;
  // Keep /usr/share/doc/<pkg> and its copyright file: licences travel with the binaries.
  const rest = path.slice('/usr/share/doc/'.length).split('/');
  return !(rest.length === 1 || (rest.length === 2 && rest[1] === 'copyright'));
}

/** `/bin/ls` → `/usr/bin/ls` when /bin is a symlink into /usr on the host. */
function merged(path: string): string {
  const top = path.split('/')[1] ?? '';
  return MERGED.includes(top) && isMergedOnHost(top) ? `/usr${path}` : path;
}

const mergedCache = new Map<string, boolean>();
function isMergedOnHost(dir: string): boolean {
  let answer = mergedCache.get(dir);
  if (answer === undefined) {
    try {
      answer = readlinkSync(`/${dir}`).replace(/^\//, '') === `usr/${dir}`;
    } catch {
      answer = false;
    }
    mergedCache.set(dir, answer);
  }
  return answer;
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * `tar -c --no-recursion` of the list from / piped into `tar -x` in the root: one pass, modes,
 * owners and symlinks kept (the per-file copy in a shell took minutes; this takes seconds).
 */
async function copyFromHost(paths: string[], root: string): Promise<void> {
  const create = spawn(
    'tar',
    [
      '-C',
      '/',
      '--numeric-owner',
      '--no-recursion',
      '--null',
      '--verbatim-files-from',
      '-T',
      '-',
      '-cf',
      '-',
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const extract = spawn('tar', ['-C', root, '--numeric-owner', '-p', '-xf', '-'], {
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  create.stdout.pipe(extract.stdin);
  let errors = '';
  create.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  extract.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const done = (child: ReturnType<typeof spawn>) =>
    new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
  create.stdin.end(paths.join('\0'));
  const [created, extracted] = await Promise.all([done(create), done(extract)]);
  if (created !== 0 || extracted !== 0)
    throw new Error(`copying the package files into the root failed: ${errors.trim()}`);
}
