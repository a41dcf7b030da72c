/**
 * `debian:*` — the Debian 12 root assembled from this machine's packages, set up like the
 * official image (CMD bash, the standard PATH). Every other Debian-based stand-in starts from
 * the same root, so this is also where the shared pieces live: the PATH, the "Debian 12.x"
 * wording, and the family's code as a hash input.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ImageReference } from '../image-reference.ts';
import type { StandInAnswer, StandInContent, StandInFamily } from './types.ts';
import { debianRelease, differenceFrom, STAND_IN_OS } from './variant.ts';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** `Debian 12.11`: the release of the host's base-files, which every stand-in root copies. */
export function debianLabel(): string {
  try {
    return `Debian ${readFileSync('/etc/debian_version', 'utf8').trim()}`;
  } catch {
    return 'Debian 12';
  }
}

/** A family module's own source, as a hash input: changing how it builds must rebuild. */
export function codeOf(moduleUrl: string): Buffer {
  return readFileSync(fileURLToPath(moduleUrl));
}

/** Tags that move with Debian's releases (the stand-in does not). */
const MOVING = new Set(['latest', 'stable', 'slim', 'stable-slim']);

export function debianContent(): StandInContent {
  return {
    key: 'debian-12',
    flavor: 'debian',
    packages: [],
    hashInputs: [codeOf(import.meta.url)],
    changes: [`ENV PATH=${DEFAULT_PATH}`, 'CMD ["bash"]'],
    actual: `${debianLabel()} (bookworm) from this machine's packages`,
  };
}

export const debianFamily: StandInFamily = {
  name: 'debian',
  examples: ['debian:bookworm-slim', 'debian:12', 'debian:stable-slim', 'debian:bullseye'],
  describe: () => `${debianLabel()} (bookworm), slim, from this machine's installed packages`,
  matches: (ref: ImageReference) => ref.official && ref.name === 'debian',
  offer: async (ref: ImageReference): Promise<StandInAnswer> => {
    const tag = (ref.tag ?? 'latest').toLowerCase();
    // bookworm, bookworm-slim, 12, 12.5-slim, bookworm-20240110-slim, bullseye-backports…
    const words = tag.split('-').filter((word) => word !== 'slim' && !/^\d{8}$/.test(word));
    const first = words[0] ?? 'latest';
    const warnings: string[] = [];
    let variantChanged = false;
    if (MOVING.has(tag) || first === 'latest' || first === 'stable') {
      warnings.push(
        `debian:${tag} moves with Debian's releases (Debian 13 "trixie" since August 2025); ${STAND_IN_OS} stands in`,
      );
    } else if (['testing', 'unstable', 'sid', 'experimental', 'oldstable'].includes(first)) {
      warnings.push(`debian:${tag} requested: ${STAND_IN_OS} stands in`);
      variantChanged = true;
    } else {
      const release = debianRelease(first);
      if (!release)
        return { available: false, family: 'debian', reason: `debian:${tag} is not a Debian tag` };
      const difference = differenceFrom(release);
      warnings.push(...difference.warnings);
      variantChanged = difference.variantChanged;
    }
    if (words.includes('backports'))
      warnings.push('backports requested: the stand-in has no backports sources');
    return {
      available: true,
      family: 'debian',
      offer: { content: debianContent(), warnings, variantChanged, missingPackageManagers: [] },
    };
  },
};
