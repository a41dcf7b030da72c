/**
 * The OS part of an official image's tag (`-alpine3.19`, `-bookworm`, `-slim`, `-jammy`,
 * `-ubi9-minimal`, `-al2023`, `-windowsservercore`), and what it means that every stand-in is
 * Debian 12: which differences to warn about, and which package managers a Dockerfile written
 * for the requested image would call and will not find (so the caller can refuse a
 * `RUN apk add …` up front instead of failing mid-build).
 */

export type OsVariant =
  | { kind: 'debian'; release: string; version: number | undefined }
  | { kind: 'alpine'; word: string }
  | { kind: 'ubuntu'; release: string; version: string }
  | { kind: 'rpm'; label: string; managers: string[] }
  | { kind: 'windows'; word: string };

export interface TagWords {
  /** The first dash-separated part when it is a version or a family keyword. */
  version?: string;
  os?: OsVariant;
  slim: boolean;
  /** Everything else, in order (`jre`, `jdk`, `eclipse`, `temurin`, `21`…). */
  rest: string[];
}

export interface VariantDifference {
  warnings: string[];
  variantChanged: boolean;
  missingPackageManagers: string[];
}

const DEBIAN: Record<string, number | undefined> = {
  jessie: 8,
  stretch: 9,
  buster: 10,
  bullseye: 11,
  bookworm: 12,
  trixie: 13,
  forky: 14,
  sid: undefined,
};
const UBUNTU: Record<string, string> = {
  xenial: '16.04',
  bionic: '18.04',
  focal: '20.04',
  jammy: '22.04',
  noble: '24.04',
  plucky: '25.04',
  questing: '25.10',
};
export const STAND_IN_OS = 'Debian 12 (bookworm)';

/**
 * Splits a tag at dashes. `keyword` says which first words are versions besides ones starting
 * with a digit (`lts`, `current`, `latest`, a codename).
 */
export function splitTag(tag: string | undefined, keyword: (word: string) => boolean): TagWords {
  const words = (tag ?? 'latest').toLowerCase().split('-').filter(Boolean);
  const first = words[0] ?? 'latest';
  const result: TagWords = { slim: false, rest: [] };
  if (/^\d/.test(first) || keyword(first)) {
    result.version = first;
    words.shift();
  }
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const os = osWord(word, words[i + 1]);
    if (os && !result.os) {
      result.os = os.variant;
      i += os.consumed - 1;
    } else if (word === 'slim') result.slim = true;
    else result.rest.push(word);
  }
  return result;
}

/** What it means that Debian 12 stands in for `os` (undefined: the family's default OS). */
export function differenceFrom(os: OsVariant | undefined): VariantDifference {
  const none = { warnings: [], variantChanged: false, missingPackageManagers: [] };
  if (!os) return none;
  switch (os.kind) {
    case 'debian':
      if (os.release === 'bookworm') return none;
      return {
        warnings: [
          `${os.release}${os.version ? ` (Debian ${os.version})` : ''} requested: ${STAND_IN_OS} stands in`,
        ],
        variantChanged: true,
        missingPackageManagers: [],
      };
    case 'alpine':
      return {
        warnings: [`alpine requested: Debian 12 stands in (glibc, apt; no apk)`],
        variantChanged: true,
        missingPackageManagers: ['apk'],
      };
    case 'ubuntu':
      return {
        warnings: [
          `Ubuntu ${os.version} (${os.release}) requested: ${STAND_IN_OS} stands in (apt works; package names and versions may differ)`,
        ],
        variantChanged: true,
        missingPackageManagers: [],
      };
    case 'rpm':
      return {
        warnings: [
          `${os.label} requested: ${STAND_IN_OS} stands in (apt; no ${os.managers.join('/')})`,
        ],
        variantChanged: true,
        missingPackageManagers: os.managers,
      };
    case 'windows':
      return none; // refused by the catalog before it gets here
  }
}

/** Debian, by codename or number, when `word` names one. */
export function debianRelease(word: string): OsVariant | undefined {
  if (word in DEBIAN) return { kind: 'debian', release: word, version: DEBIAN[word] };
  const number = /^(\d+)(?:\.\d+)*$/.exec(word)?.[1];
  const release = Object.keys(DEBIAN).find((name) => String(DEBIAN[name]) === number);
  return release ? { kind: 'debian', release, version: DEBIAN[release] } : undefined;
}

export const UBUNTU_NOBLE: OsVariant = { kind: 'ubuntu', release: 'noble', version: '24.04' };
export const AMAZON_LINUX: OsVariant = {
  kind: 'rpm',
  label: 'Amazon Linux 2023',
  managers: ['dnf', 'yum', 'rpm'],
};
export const ORACLE_LINUX: OsVariant = {
  kind: 'rpm',
  label: 'Oracle Linux',
  managers: ['microdnf', 'dnf', 'yum', 'rpm'],
};

function osWord(
  word: string,
  next: string | undefined,
): { variant: OsVariant; consumed: number } | undefined {
  if (word.startsWith('alpine')) return { variant: { kind: 'alpine', word }, consumed: 1 };
  if (word in DEBIAN) return { variant: debianRelease(word) as OsVariant, consumed: 1 };
  if (word in UBUNTU)
    return {
      variant: { kind: 'ubuntu', release: word, version: UBUNTU[word] as string },
      consumed: 1,
    };
  if (/^ubi\d+$/.test(word)) {
    const minimal = next === 'minimal';
    return {
      variant: {
        kind: 'rpm',
        label: `Red Hat UBI ${word.slice(3)}${minimal ? ' minimal' : ''}`,
        managers: ['microdnf', 'dnf', 'yum', 'rpm'],
      },
      consumed: minimal ? 2 : 1,
    };
  }
  if (word === 'al2' || word === 'al2023' || word === 'amazonlinux')
    return {
      variant: {
        kind: 'rpm',
        label: word === 'al2' ? 'Amazon Linux 2' : 'Amazon Linux 2023',
        managers: ['dnf', 'yum', 'rpm'],
      },
      consumed: 1,
    };
  if (/^oraclelinux\d*$/.test(word) || word === 'oracle')
    return { variant: ORACLE_LINUX, consumed: 1 };
  if (word === 'windowsservercore' || word === 'nanoserver' || word.startsWith('ltsc'))
    return { variant: { kind: 'windows', word }, consumed: 1 };
  return undefined;
}
