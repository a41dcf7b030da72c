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
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
  alternativesEntries,
  diversionsFile,
  hostDiversions,
  statOverrideFile,
  statusFile,
  triggerFiles,
  type RootEntry,
} from './dpkg-state.ts';
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
/** debuerreotype's slimify rules, which the official -slim images are made with. */
const DPKG_EXCLUDES = [
  'path-exclude /usr/share/doc/*',
  'path-include /usr/share/doc/*/copyright',
  'path-exclude /usr/share/info/*',
  'path-exclude /usr/share/locale/*',
  'path-exclude /usr/share/man/*',
];
/** The sources the official debian:bookworm image ships (apt-get update needs a mirror). */
const DEBIAN_SOURCES = `Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
`;
const CODE = [
  fileURLToPath(import.meta.url),
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
    if (selection.flavor === 'debian') writeDebianState(root, selection, included);
    else writeDistrolessState(root, selection);
    await buildLoaderCache(root);
    return root;
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

/** Writes one file into the root (parents created), replacing what is there. */
export function writeInRoot(root: string, path: string, content: string, mode = 0o644): void {
  const target = join(root, path);
  mkdirSync(dirname(target), { recursive: true });
  rmSync(target, { force: true });
  writeFileSync(target, content, { mode });
  chmodSync(target, mode);
}

/** Makes `path` in the root a symlink to `target`, replacing what is there. */
export function linkInRoot(root: string, path: string, target: string): void {
  const link = join(root, path);
  mkdirSync(dirname(link), { recursive: true });
  rmSync(link, { force: true, recursive: true });
  symlinkSync(target, link);
}

/** Adds users and groups to the root's passwd/group/shadow/gshadow (debian flavor). */
export function addUser(
  root: string,
  user: { name: string; uid: number; gid: number; home: string; shell: string },
): void {
  append(root, '/etc/passwd', `${user.name}:x:${user.uid}:${user.gid}::${user.home}:${user.shell}`);
  append(root, '/etc/group', `${user.name}:x:${user.gid}:`);
  if (existsSync(join(root, 'etc/shadow')))
    append(root, '/etc/shadow', `${user.name}:!:${SHADOW_DAY}:0:99999:7:::`);
  if (existsSync(join(root, 'etc/gshadow'))) append(root, '/etc/gshadow', `${user.name}:!::`);
  if (user.home === '/nonexistent') return; // a system user with no home, by convention
  mkdirSync(join(root, user.home), { recursive: true });
  chownSync(join(root, user.home), user.uid, user.gid);
}

/** A fixed "last password change" day: the root must not depend on the day it was built. */
const SHADOW_DAY = 19_700;

function append(root: string, path: string, line: string): void {
  const file = join(root, path);
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const mode = existsSync(file) ? lstatSync(file).mode & 0o7777 : 0o644;
  writeFileSync(file, `${text}${text && !text.endsWith('\n') ? '\n' : ''}${line}\n`, { mode });
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

/** The CA bundle update-ca-certificates made on the host (the Java store only with Java). */
function copyCertificates(root: string, included: Set<string>): void {
  if (!included.has('ca-certificates') || !existsSync('/etc/ssl/certs')) return;
  cpSync('/etc/ssl/certs', join(root, 'etc/ssl/certs'), {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => included.has('ca-certificates-java') || !source.includes('/certs/java'),
  });
  if (existsSync('/etc/ca-certificates.conf'))
    cpSync('/etc/ca-certificates.conf', join(root, 'etc/ca-certificates.conf'));
}

function writeDebianState(root: string, selection: DebianSelection, included: Set<string>): void {
  // base-passwd's masters, as its postinst installs them, with shadow passwords turned on as
  // the passwd package does (password fields `x`, the locked `*` moved to shadow/gshadow).
  const shadowed = (text: string) => text.replace(/^([^:\n]*):[^:\n]*:/gm, '$1:x:');
  const passwd = shadowed(readOrEmpty('/usr/share/base-passwd/passwd.master'));
  const group = shadowed(readOrEmpty('/usr/share/base-passwd/group.master'));
  writeInRoot(root, '/etc/passwd', passwd);
  writeInRoot(root, '/etc/group', group);
  const names = (text: string) =>
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(':')[0]);
  const shadowGid = Number(/^shadow:x:(\d+):/m.exec(group)?.[1] ?? 0);
  writeInRoot(
    root,
    '/etc/shadow',
    names(passwd)
      .map((name) => `${name}:*:${SHADOW_DAY}:0:99999:7:::\n`)
      .join(''),
    0o640,
  );
  writeInRoot(
    root,
    '/etc/gshadow',
    names(group)
      .map((name) => `${name}:*::\n`)
      .join(''),
    0o640,
  );
  chownSync(join(root, 'etc/shadow'), 0, shadowGid);
  chownSync(join(root, 'etc/gshadow'), 0, shadowGid);
  const users = new Set(names(passwd) as string[]);
  const groups = new Set(names(group) as string[]);
  const inRoot = (path: string) => exists(join(root, path));

  const dpkg = '/var/lib/dpkg';
  writeInRoot(root, `${dpkg}/status`, statusFile(selection.packages));
  writeInRoot(root, `${dpkg}/available`, '');
  // Without it dpkg reads the info directory in the pre-multiarch layout and misses every
  // `<package>:<arch>.list`.
  writeInRoot(root, `${dpkg}/info/format`, readOrEmpty(`${DPKG_DIR}/info/format`) || '1\n');
  writeInRoot(
    root,
    `${dpkg}/diversions`,
    diversionsFile(readOrEmpty(`${DPKG_DIR}/diversions`), included),
  );
  writeInRoot(
    root,
    `${dpkg}/statoverride`,
    statOverrideFile(readOrEmpty(`${DPKG_DIR}/statoverride`), inRoot, users, groups),
  );
  for (const [name, text] of triggerFiles(`${DPKG_DIR}/triggers`, included))
    writeInRoot(root, `${dpkg}/triggers/${name}`, text);
  for (const dir of ['updates', 'parts', 'alternatives'])
    mkdirSync(join(root, dpkg, dir), { recursive: true });
  applyEntries(root, alternativesEntries('/', inRoot));

  if (included.has('tzdata') && inRoot('/usr/share/zoneinfo/Etc/UTC')) {
    linkInRoot(root, '/etc/localtime', '/usr/share/zoneinfo/Etc/UTC');
    writeInRoot(root, '/etc/timezone', 'Etc/UTC\n');
  }
  const shells = readOrEmpty('/etc/shells')
    .split('\n')
    .filter((line) => line.startsWith('#') || (line && inRoot(line)));
  writeInRoot(root, '/etc/shells', `${shells.join('\n')}\n`);
  linkInRoot(root, '/etc/mtab', '../proc/self/mounts');
  writeInRoot(root, '/etc/dpkg/dpkg.cfg.d/docker', `${DPKG_EXCLUDES.join('\n')}\n`);
  writeInRoot(root, '/etc/apt/sources.list.d/debian.sources', DEBIAN_SOURCES);
  // As in the official images: no package cache or translations kept in image layers.
  writeInRoot(
    root,
    '/etc/apt/apt.conf.d/docker-clean',
    'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };\nAPT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };\nDir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n',
  );
  writeInRoot(root, '/etc/apt/apt.conf.d/docker-no-languages', 'Acquire::Languages "none";\n');
  for (const dir of ['var/lib/apt/lists/partial', 'var/cache/apt/archives/partial'])
    mkdirSync(join(root, dir), { recursive: true });
}

/**
 * /etc/ld.so.cache, as libc-bin's trigger would make it. The loader finds the multiarch
 * directories without it, but not the ones /etc/ld.so.conf.d adds. Best effort: `-r` chroots,
 * which needs root; a root without a cache still works.
 */
async function buildLoaderCache(root: string): Promise<void> {
  await new Promise<void>((resolve) => {
    const ldconfig = existsSync('/usr/sbin/ldconfig') ? '/usr/sbin/ldconfig' : 'ldconfig';
    const child = spawn(ldconfig, ['-r', root], { stdio: 'ignore' });
    child.on('error', () => resolve());
    child.on('close', () => resolve());
  });
}

/** distroless: root, nobody and nonroot (65532), package records in status.d. */
function writeDistrolessState(root: string, selection: DebianSelection): void {
  writeInRoot(
    root,
    '/etc/passwd',
    'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n',
  );
  writeInRoot(
    root,
    '/etc/group',
    'root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n',
  );
  mkdirSync(join(root, 'home/nonroot'), { recursive: true, mode: 0o700 });
  chownSync(join(root, 'home/nonroot'), 65532, 65532);
  for (const item of selection.packages)
    writeInRoot(root, `/var/lib/dpkg/status.d/${item.name}`, `${item.stanza}\n`);
  if (selection.packages.some((item) => item.name === 'tzdata'))
    linkInRoot(root, '/etc/localtime', '/usr/share/zoneinfo/Etc/UTC');
}

function applyEntries(root: string, entries: RootEntry[]): void {
  for (const entry of entries) {
    if (entry.kind === 'file') writeInRoot(root, entry.path, entry.content, entry.mode);
    else linkInRoot(root, entry.path, entry.target);
  }
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
