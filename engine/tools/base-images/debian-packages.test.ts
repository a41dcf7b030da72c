import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { basePackageNames, dependencyClosure, parseDpkgStatus } from './debian-packages.ts';
import { alternativesEntries, diversionsFile, statOverrideFile, statusFile } from './dpkg-state.ts';

const STATUS = `Package: dpkg
Status: install ok installed
Priority: required
Essential: yes
Architecture: amd64
Version: 1.21.22
Pre-Depends: libc6 (>= 2.34), tar (>= 1.28-1)
Description: Debian package management system
 A long description
 over two lines.

Package: libc6
Status: install ok installed
Priority: optional
Architecture: amd64
Multi-Arch: same
Version: 2.36-9
Depends: libgcc-s1

Package: libc6
Status: install ok installed
Architecture: i386
Version: 2.36-9

Package: libgcc-s1
Status: install ok installed
Architecture: amd64
Version: 12.2.0-14
Depends: gcc-12-base (= 12.2.0-14), libc6 (>= 2.35)

Package: gcc-12-base
Status: install ok installed
Architecture: amd64
Version: 12.2.0-14

Package: tar
Status: install ok installed
Priority: required
Essential: yes
Architecture: amd64
Version: 1.34
Pre-Depends: libc6 (>= 2.34)

Package: base-files
Status: install ok installed
Priority: required
Essential: yes
Architecture: amd64
Version: 12.4
Pre-Depends: awk

Package: gawk
Status: install ok installed
Architecture: amd64
Version: 5.2.1
Provides: awk

Package: mawk
Status: install ok installed
Priority: required
Architecture: amd64
Version: 1.3.4
Provides: awk

Package: nginx-light
Status: install ok installed
Architecture: all
Version: 1.22.1
Depends: nginx-core-gone | nginx (= 1.22.1), libnginx-mod-http-echo

Package: nginx
Status: install ok installed
Architecture: amd64
Version: 1.22.1
Depends: libc6, debconf | debconf-2.0

Package: removed-thing
Status: deinstall ok config-files
Architecture: amd64
Version: 1
`;

describe('parseDpkgStatus', () => {
  const database = parseDpkgStatus(STATUS, 'amd64');

  it('given a status file, when parsed, then installed native packages are kept verbatim', () => {
    expect(database.packages.get('libc6')).toMatchObject({ architecture: 'amd64' });
    expect(database.packages.has('removed-thing')).toBe(false);
    expect(database.packages.get('dpkg')?.stanza).toContain(' over two lines.');
    expect(database.packages.get('dpkg')?.depends).toEqual([['libc6'], ['tar']]);
    expect(database.providers.get('awk')).toEqual(['gawk', 'mawk']);
  });

  it('given the base set, when listed, then it is Priority required plus Essential', () => {
    expect(basePackageNames(database).sort()).toEqual(['base-files', 'dpkg', 'mawk', 'tar']);
  });

  it('given roots, when closed over dependencies, then every group is satisfied once', () => {
    const { packages, missing } = dependencyClosure(database, basePackageNames(database));
    expect(packages.map((item) => item.name)).toEqual([
      'base-files',
      'dpkg',
      'gcc-12-base',
      'libc6',
      'libgcc-s1',
      'mawk',
      'tar',
    ]);
    // awk is virtual: the provider among the roots (mawk) wins over the host's first (gawk).
    expect(missing).toEqual([]);
  });

  it('given an alternative that is not installed, when closed, then the installed one is taken', () => {
    const { packages, missing } = dependencyClosure(database, ['nginx-light']);
    expect(packages.map((item) => item.name)).toContain('nginx');
    expect(missing).toEqual([
      'nginx-light needs libnginx-mod-http-echo',
      'nginx needs debconf | debconf-2.0',
    ]);
  });

  it('given a root that is not installed, when closed, then it is reported missing', () => {
    expect(dependencyClosure(database, ['golang-go']).missing).toEqual(['golang-go']);
  });

  it('given the chosen packages, when the status file is written, then it holds exactly them', () => {
    const { packages } = dependencyClosure(database, ['tar']);
    const text = statusFile(packages);
    expect(text.match(/^Package: /gm)).toHaveLength(4);
    expect(text.endsWith('\n')).toBe(true);
    expect(parseDpkgStatus(text, 'amd64').packages.size).toBe(4);
  });
});

describe('dpkg state for a subset of packages', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('given host diversions, when cut down, then only included diverters stay', () => {
    const host =
      '/bin/sh\n/bin/sh.distrib\ndash\n/usr/bin/perf\n/usr/bin/perf.wrapper\nlinux-perf\n';
    expect(diversionsFile(host, new Set(['dash']))).toBe('/bin/sh\n/bin/sh.distrib\ndash\n');
    expect(diversionsFile(host, new Set())).toBe('');
  });

  it('given stat overrides, when cut down, then unknown users, groups or paths are dropped', () => {
    const host =
      'root ssl-cert 710 /etc/ssl/private\nroot root 755 /usr/bin/x\nredis redis 640 /etc/r\n';
    const kept = statOverrideFile(
      host,
      (path) => path !== '/etc/r',
      new Set(['root', 'redis']),
      new Set(['root', 'redis']),
    );
    expect(kept).toBe('root root 755 /usr/bin/x\n');
  });

  it('given a host whose awk is gawk, when the root has only mawk, then awk points to mawk', () => {
    dir = mkdtempSync(join(tmpdir(), 'alternatives-'));
    mkdirSync(join(dir, 'var/lib/dpkg/alternatives'), { recursive: true });
    mkdirSync(join(dir, 'etc/alternatives'), { recursive: true });
    writeFileSync(
      join(dir, 'var/lib/dpkg/alternatives/awk'),
      'auto\n/usr/bin/awk\nawk.1.gz\n/usr/share/man/man1/awk.1.gz\n\n/usr/bin/gawk\n10\n/usr/share/man/man1/gawk.1.gz\n/usr/bin/mawk\n5\n/usr/share/man/man1/mawk.1.gz\n\n',
    );
    symlinkSync('/usr/bin/gawk', join(dir, 'etc/alternatives/awk'));
    const entries = alternativesEntries(dir, (path) => path === '/usr/bin/mawk');
    expect(entries).toEqual([
      {
        kind: 'file',
        path: '/var/lib/dpkg/alternatives/awk',
        content:
          'auto\n/usr/bin/awk\nawk.1.gz\n/usr/share/man/man1/awk.1.gz\n\n/usr/bin/mawk\n5\n/usr/share/man/man1/mawk.1.gz\n\n',
      },
      { kind: 'symlink', path: '/etc/alternatives/awk', target: '/usr/bin/mawk' },
      { kind: 'symlink', path: '/usr/bin/awk', target: '/etc/alternatives/awk' },
    ]);
  });
});
