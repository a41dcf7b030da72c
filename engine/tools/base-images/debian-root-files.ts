/**
 * The files of a Debian root that no package lists because maintainer scripts and the
 * installer write them: users (base-passwd's masters, shadowed as the passwd package does), the
 * dpkg database cut down to the included packages (dpkg-state.ts), alternatives links, the CA
 * bundle, /etc/localtime, the loader cache, apt's sources and the official images' dpkg/apt
 * settings (no docs, no package cache). The distroless flavor gets distroless's users and its
 * status.d records instead.
 */
import { spawn } from 'node:child_process';
import { chownSync, cpSync, existsSync, lstatSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DPKG_DIR, type InstalledPackage } from './debian-packages.ts';
import {
  alternativesEntries,
  diversionsFile,
  statOverrideFile,
  statusFile,
  triggerFiles,
  type RootEntry,
} from './dpkg-state.ts';
import { linkInRoot, SHADOW_DAY, writeInRoot } from './root-edit.ts';

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

/** The CA bundle update-ca-certificates made on the host (the Java store only with Java). */
export function copyCertificates(root: string, included: Set<string>): void {
  if (!included.has('ca-certificates') || !existsSync('/etc/ssl/certs')) return;
  cpSync('/etc/ssl/certs', join(root, 'etc/ssl/certs'), {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => included.has('ca-certificates-java') || !source.includes('/certs/java'),
  });
  if (existsSync('/etc/ca-certificates.conf'))
    cpSync('/etc/ca-certificates.conf', join(root, 'etc/ca-certificates.conf'));
}

export function writeDebianState(
  root: string,
  packages: InstalledPackage[],
  included: Set<string>,
): void {
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
  writeInRoot(root, `${dpkg}/status`, statusFile(packages));
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
export async function buildLoaderCache(root: string): Promise<void> {
  await new Promise<void>((resolve) => {
    const ldconfig = existsSync('/usr/sbin/ldconfig') ? '/usr/sbin/ldconfig' : 'ldconfig';
    const child = spawn(ldconfig, ['-r', root], { stdio: 'ignore' });
    child.on('error', () => resolve());
    child.on('close', () => resolve());
  });
}

/** distroless: root, nobody and nonroot (65532), package records in status.d. */
export function writeDistrolessState(root: string, packages: InstalledPackage[]): void {
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
  for (const item of packages)
    writeInRoot(root, `/var/lib/dpkg/status.d/${item.name}`, `${item.stanza}\n`);
  if (packages.some((item) => item.name === 'tzdata'))
    linkInRoot(root, '/etc/localtime', '/usr/share/zoneinfo/Etc/UTC');
}

function applyEntries(root: string, entries: RootEntry[]): void {
  for (const entry of entries) {
    if (entry.kind === 'file') writeInRoot(root, entry.path, entry.content, entry.mode);
    else linkInRoot(root, entry.path, entry.target);
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

export function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
