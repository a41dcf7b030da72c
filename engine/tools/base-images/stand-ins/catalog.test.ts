import { describe, expect, it } from 'vitest';
import { parseDpkgStatus } from '../debian-packages.ts';
import { parseImageReference } from '../image-reference.ts';
import { listStandIns } from '../publish.ts';
import { FAMILIES, findStandIn, WITHOUT_STAND_IN } from './catalog.ts';
import { nodeToolVersions, requestedNodeMajor } from './node.ts';
import { nodeRuntimes, pickRuntime, type NodeRuntime } from './node-runtimes.ts';
import type { HostContext, StandInAnswer } from './types.ts';
import { splitTag } from './variant.ts';

/** A Debian 12 machine with the packages the stand-ins are made of (the real status format). */
function machine(overrides: Record<string, string | null> = {}): HostContext {
  const versions: Record<string, string | null> = {
    dpkg: '1.21.22',
    'base-files': '12.4+deb12u11',
    netbase: '6.4',
    tzdata: '2025b-0+deb12u2',
    'ca-certificates': '20230311+deb12u1',
    libc6: '2.36-9+deb12u14',
    libssl3: '3.0.17-1~deb12u3',
    'libgcc-s1': '12.2.0-14+deb12u1',
    'libstdc++6': '12.2.0-14+deb12u1',
    libgomp1: '12.2.0-14+deb12u1',
    python3: '3.11.2-1+b1',
    'python3.11': '3.11.2-6+deb12u6',
    'python3-pip': '23.0.1+dfsg-1',
    'python3-venv': '3.11.2-1+b1',
    'golang-go': '2:1.19~1',
    'golang-1.19-go': '1.19.8-2',
    gcc: '4:12.2.0-3',
    'openjdk-17-jdk-headless': '17.0.21.1+2-1~deb12u1',
    maven: '3.8.7-1',
    nginx: '1.22.1-9+deb12u12',
    'gettext-base': '0.21-12',
    ...overrides,
  };
  const depends: Record<string, string> = {
    python3: 'python3.11 (>= 3.11.2-1~)',
    'golang-go': 'golang-1.19-go',
  };
  const text = Object.entries(versions)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(
      ([name, version]) =>
        `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}${depends[name] ? `\nDepends: ${depends[name]}` : ''}\n`,
    )
    .join('\n');
  return { database: parseDpkgStatus(text, 'amd64') };
}

async function offer(reference: string, context = machine()): Promise<StandInAnswer> {
  return findStandIn(parseImageReference(reference), context);
}

async function available(reference: string, context = machine()) {
  const answer = await offer(reference, context);
  if (!answer.available) throw new Error(`${reference}: ${answer.reason}`);
  return answer;
}

describe('splitTag', () => {
  it('given real-world tags, when split, then version, OS variant and the rest come apart', () => {
    const node = (word: string) => word === 'lts';
    expect(splitTag('18.19.1-bookworm-slim', node)).toMatchObject({
      version: '18.19.1',
      os: { kind: 'debian', release: 'bookworm', version: 12 },
      slim: true,
      rest: [],
    });
    expect(splitTag('lts-alpine3.19', node)).toMatchObject({
      version: 'lts',
      os: { kind: 'alpine', word: 'alpine3.19' },
    });
    expect(splitTag('alpine', node)).toMatchObject({ os: { kind: 'alpine' } });
    expect(splitTag('alpine', node).version).toBeUndefined();
    expect(splitTag('21-jre-ubi9-minimal', node)).toMatchObject({
      version: '21',
      os: { kind: 'rpm', label: 'Red Hat UBI 9 minimal' },
      rest: ['jre'],
    });
    expect(splitTag('17-jdk-jammy', node)).toMatchObject({
      os: { kind: 'ubuntu', version: '22.04' },
      rest: ['jdk'],
    });
  });
});

describe('findStandIn: references real Dockerfiles use', () => {
  it('given debian:bookworm-slim, then plain Debian 12 with no warning', async () => {
    const answer = await available('debian:bookworm-slim');
    expect(answer.family).toBe('debian');
    expect(answer.offer.warnings).toEqual([]);
    expect(answer.offer.content).toMatchObject({ flavor: 'debian', packages: [] });
  });

  it('given another Debian release, then Debian 12 with a warning and a changed variant', async () => {
    const answer = await available('debian:bullseye-slim');
    expect(answer.offer.warnings.join()).toMatch(/bullseye \(Debian 11\) requested/);
    expect(answer.offer.variantChanged).toBe(true);
  });

  it('given python:3.12-slim-bookworm, then Python 3.11 with a minor-version warning', async () => {
    const answer = await available('python:3.12-slim-bookworm');
    expect(answer.offer.content.actual).toMatch(/^Python 3\.11\.2 with pip and venv/);
    expect(answer.offer.content.packages).toEqual(['python3', 'python3-pip', 'python3-venv']);
    expect(answer.offer.warnings).toEqual([
      'Python 3.12 requested: Python 3.11.2 stands in (the minor version differs)',
    ]);
    expect(answer.offer.variantChanged).toBe(false);
  });

  it('given python:3.11-alpine, then no version warning but the alpine flag', async () => {
    const answer = await available('python:3.11-alpine');
    expect(answer.offer.warnings).toEqual([
      'alpine requested: Debian 12 stands in (glibc, apt; no apk)',
      "adduser, addgroup, deluser and delgroup take Alpine's (BusyBox's) flags, mapped onto useradd and groupadd",
    ]);
    expect(answer.offer).toMatchObject({ variantChanged: true, missingPackageManagers: ['apk'] });
  });

  it('given Python 2, then it is not available and says which Python is', async () => {
    const answer = await offer('python:2.7-slim');
    expect(answer).toMatchObject({ available: false, family: 'python' });
    expect(!answer.available && answer.reason).toMatch(/Python 2\.7 is not available.*3\.11\.2/);
  });

  it('given golang:1.22-alpine AS build, then Go 1.19 with version and alpine warnings', async () => {
    const answer = await available('golang:1.22-alpine');
    expect(answer.offer.content.actual).toMatch(/^Go 1\.19\.8/);
    expect(answer.offer.content.packages).toEqual(['golang-go', 'gcc']);
    expect(answer.offer.warnings).toEqual([
      'alpine requested: Debian 12 stands in (glibc, apt; no apk)',
      'Go 1.22 requested: Go 1.19.8 stands in (modules that need a newer go directive will not build)',
      "adduser, addgroup, deluser and delgroup take Alpine's (BusyBox's) flags, mapped onto useradd and groupadd",
    ]);
    expect(answer.offer.missingPackageManagers).toEqual(['apk']);
  });

  it('given golang:1.19-bookworm, then no warning', async () => {
    expect((await available('golang:1.19-bookworm')).offer.warnings).toEqual([]);
  });

  it('given a digest-pinned temurin JRE on alpine, then JDK 17 with every difference warned', async () => {
    const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;
    const answer = await available(`eclipse-temurin:25.0.3_9-jre-alpine@${digest}`);
    expect(answer.family).toBe('java');
    expect(answer.offer.content.packages).toEqual(['openjdk-17-jdk-headless', 'maven']);
    expect(answer.offer.warnings).toEqual([
      'alpine requested: Debian 12 stands in (glibc, apt; no apk)',
      'Java 25 requested: OpenJDK 17.0.21.1+2 stands in (the major differs)',
      "adduser, addgroup, deluser and delgroup take Alpine's (BusyBox's) flags, mapped onto useradd and groupadd",
      'pinned to sha256:0123456789ab…: the stand-in is built on this machine, so its digest does not match',
    ]);
  });

  it('given eclipse-temurin:17-jre, then the Ubuntu base is warned about (apt still there)', async () => {
    const answer = await available('eclipse-temurin:17-jre');
    expect(answer.offer.warnings).toEqual([
      'Ubuntu 24.04 (noble) requested: Debian 12 (bookworm) stands in (apt works; package names and versions may differ)',
    ]);
    expect(answer.offer.missingPackageManagers).toEqual([]);
  });

  it('given amazoncorretto:17 and openjdk:17, then their rpm package managers are listed missing', async () => {
    expect((await available('amazoncorretto:17')).offer.missingPackageManagers).toEqual([
      'dnf',
      'yum',
      'rpm',
    ]);
    expect((await available('openjdk:17')).offer.missingPackageManagers).toContain('microdnf');
    expect((await available('openjdk:17-jdk-slim')).offer.warnings).toEqual([]);
  });

  it('given maven with a JDK in its tag, then one root with mvn as the command', async () => {
    const answer = await available('maven:3.9.6-eclipse-temurin-21');
    expect(answer.family).toBe('maven');
    expect(answer.offer.cmd).toEqual(['mvn']);
    expect(answer.offer.warnings).toEqual([
      'Ubuntu 24.04 (noble) requested: Debian 12 (bookworm) stands in (apt works; package names and versions may differ)',
      'Java 21 requested: OpenJDK 17.0.21.1+2 stands in (the major differs)',
      'Maven 3.9.6 requested: Maven 3.8.7 stands in (the version differs)',
    ]);
    const jdk = await available('eclipse-temurin:17-jdk');
    expect(jdk.offer.content.key).toBe(answer.offer.content.key);
  });

  it('given nginx:1.13-alpine, then nginx 1.22 with version and alpine warnings', async () => {
    const answer = await available('nginx:1.13-alpine');
    expect(answer.offer.content.actual).toMatch(/^nginx 1\.22\.1/);
    expect(answer.offer.content.packages).toEqual(['nginx', 'gettext-base']);
    expect(answer.offer.content.stopSignal).toBe('SIGQUIT');
    expect(answer.offer.warnings).toEqual([
      'alpine requested: Debian 12 stands in (glibc, apt; no apk)',
      'nginx 1.13 requested: nginx 1.22.1 stands in (the version differs)',
      "adduser, addgroup, deluser and delgroup take Alpine's (BusyBox's) flags, mapped onto useradd and groupadd",
    ]);
  });

  it('given gcr.io/distroless/static:nonroot, then a four-package root running as 65532', async () => {
    const answer = await available('gcr.io/distroless/static:nonroot');
    expect(answer.offer.content).toMatchObject({
      flavor: 'distroless',
      packages: ['base-files', 'netbase', 'tzdata', 'ca-certificates'],
    });
    expect(answer.offer.content.changes).toContain('USER 65532:65532');
    expect(answer.offer.warnings).toEqual([]);
    const base = await available('gcr.io/distroless/base-debian12');
    expect(base.offer.content.packages).toContain('libc6');
    expect(base.offer.content.changes).not.toContain('USER 65532:65532');
    const old = await available('gcr.io/distroless/cc-debian11');
    expect(old.offer.warnings.join()).toMatch(/bullseye \(Debian 11\) requested/);
  });

  it.each([
    ['ubuntu:22.04', /not Ubuntu ones/],
    ['mcr.microsoft.com/dotnet/sdk:8.0', /no \.NET SDK/],
    ['postgres:16-alpine', /datastore image/],
    ['ruby:3.3', /no Ruby runtime/],
    ['ghcr.io/acme/builder:1', /no stand-in for ghcr\.io\/acme\/builder:1/],
    ['gcr.io/distroless/static:debug', /BusyBox/],
    ['node:20-windowsservercore-ltsc2022', /Windows image/],
  ])('given %s, then it is not available, and why', async (reference, why) => {
    const answer = await offer(reference);
    expect(answer.available).toBe(false);
    expect(!answer.available && answer.reason).toMatch(why);
  });

  it('given a machine without nginx, then nginx is not available', async () => {
    const answer = await offer('nginx:alpine', machine({ nginx: null }));
    expect(answer).toMatchObject({ available: false, reason: 'nginx is not installed here' });
  });
});

describe('node stand-ins', () => {
  const runtime = (version: string): NodeRuntime => ({
    version,
    major: Number(version.split('.')[0]),
    binary: `/opt/node-${version}/bin/node`,
    source: 'data-dir',
  });

  it('given tags and codenames, when read, then they name the major', () => {
    expect(requestedNodeMajor('18.19.1')).toBe(18);
    expect(requestedNodeMajor('hydrogen')).toBe(18);
    expect(requestedNodeMajor('iron')).toBe(20);
    expect(requestedNodeMajor('jod')).toBe(22);
    expect(requestedNodeMajor('krypton')).toBe(24);
    expect(requestedNodeMajor('lts')).toBe(24);
    expect(requestedNodeMajor('current')).toBeUndefined();
    expect(requestedNodeMajor(undefined)).toBeUndefined();
    expect(requestedNodeMajor('banana')).toBe('invalid');
  });

  it('given runtimes 20 and 24, when 18/22/24 are asked for, then exact or nearest (ties newer)', () => {
    const runtimes = [runtime('24.22.3'), runtime('20.20.2')];
    expect(pickRuntime(runtimes, 24)?.version).toBe('24.22.3');
    expect(pickRuntime(runtimes, 18)?.version).toBe('20.20.2');
    expect(pickRuntime(runtimes, 22)?.version).toBe('24.22.3');
    expect(pickRuntime([], 22)).toBeUndefined();
  });

  it.each([
    'node:18.19.1-bookworm-slim',
    'node:lts-alpine3.19',
    'docker.io/node:lts-alpine',
    'node:hydrogen',
    'node:current-slim',
  ])('given %s, when offered here, then the warnings match what stands in', async (reference) => {
    const answer = await offer(reference);
    if (!nodeToolVersions()) {
      // Before setup installs the pinned npm/yarn/corepack there is nothing to offer.
      expect(!answer.available && answer.reason).toMatch(/npm run setup/);
      return;
    }
    if (!answer.available) throw new Error(answer.reason);
    const ref = parseImageReference(reference);
    const tag = splitTag(ref.tag, (word) => /^[a-z]+$/.test(word) && !word.startsWith('alpine'));
    const wanted = requestedNodeMajor(tag.version);
    const actual = Number(/^Node (\d+)\./.exec(answer.offer.content.actual)?.[1]);
    const runtimes = await nodeRuntimes();
    expect(runtimes.map((item) => item.major)).toContain(actual);
    const majorWarning = answer.offer.warnings.some((line) => line.includes('the major differs'));
    expect(majorWarning).toBe(typeof wanted === 'number' && wanted !== actual);
    const alpine = ref.tag?.includes('alpine') ?? false;
    expect(answer.offer.missingPackageManagers).toEqual(alpine ? ['apk'] : []);
    expect(answer.offer.content.actual).toMatch(/npm \d+\.\d+\.\d+, yarn 1\.22\.\d+/);
  });
});

describe('listStandIns', () => {
  it('given this machine, when the catalog is listed, then every family and every refusal has a row that says why', async () => {
    const rows = await listStandIns();
    expect(rows.map((row) => row.family)).toEqual([
      ...FAMILIES.map((family) => family.name),
      ...WITHOUT_STAND_IN.map((row) => row.family),
    ]);
    for (const row of rows) {
      expect(row.examples.length).toBeGreaterThan(0);
      expect(row.standsIn).toMatch(/\S/);
      if (!row.available) expect(row.reason).toMatch(/\S/);
    }
    expect(rows.find((row) => row.family === 'ubuntu')).toMatchObject({ available: false });
  });
});
