/**
 * `busybox:*` — Debian's statically linked BusyBox (busybox-static) on an otherwise empty root,
 * laid out like the official image: the binary at /bin/busybox, every applet it has linked
 * beside it (/bin/sh, /bin/wget…), CMD sh. Dockerfiles mostly take the binary from it
 * (`COPY --from=busybox /bin/busybox …`) for a shell or a health probe in an image that has
 * none: being static, Debian's build runs there like the official musl/glibc ones. Only the
 * statically linked build can stand in; the dynamic `busybox` package would need a libc in
 * every image it is copied into.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageReference } from '../image-reference.ts';
import { codeOf } from './debian.ts';
import type { HostContext, StandInAnswer, StandInFamily } from './types.ts';

const PACKAGE = 'busybox-static';
/** `1.36.1-musl`, `1.36`, `musl`, `uclibc`, `glibc`, `stable`, `latest`. */
const TAG = /^(?:(\d{1,3}(?:\.\d{1,3}){0,2}|latest|stable|unstable))?(?:-?(musl|glibc|uclibc))?$/;

/** `1:1.35.0-4+deb12u1` → `1.35.0`. */
function upstreamVersion(debianVersion: string): string {
  return /^(?:\d+:)?(\d+(?:\.\d+)*)/.exec(debianVersion)?.[1] ?? debianVersion;
}

/** The applets the host's busybox-static has, from `busybox --list` (one name a line). */
function appletsOf(binary: string): string[] {
  const listed = spawnSync(binary, ['--list'], { encoding: 'utf8' });
  if (listed.status !== 0) return ['sh'];
  return listed.stdout.split('\n').filter((name) => /^[a-z0-9_.[-]{1,40}$/.test(name));
}

export const busyboxFamily: StandInFamily = {
  name: 'busybox',
  examples: ['busybox:1.36.1-musl', 'busybox:musl', 'busybox:latest'],
  describe: (context) => {
    const item = context.database.packages.get(PACKAGE);
    return item
      ? `Debian's static BusyBox ${upstreamVersion(item.version)} and its applets on an empty root; another version: a warning`
      : `Debian's static BusyBox (${PACKAGE}, not installed here)`;
  },
  matches: (ref) => ref.official && ref.name === 'busybox',
  offer: async (ref: ImageReference, context: HostContext): Promise<StandInAnswer> => {
    const item = context.database.packages.get(PACKAGE);
    if (!item)
      return {
        available: false,
        family: 'busybox',
        reason: `the statically linked BusyBox (Debian package ${PACKAGE}) is not installed here; install it with \`apt-get install ${PACKAGE}\``,
      };
    const tag = TAG.exec(ref.tag ?? 'latest');
    if (!tag)
      return {
        available: false,
        family: 'busybox',
        reason: `busybox:${ref.tag} is not a BusyBox tag`,
      };
    const version = upstreamVersion(item.version);
    const [, requested, libc] = tag;
    const warnings: string[] = [];
    if (requested && /^\d/.test(requested) && !`${version}.`.startsWith(`${requested}.`))
      warnings.push(`BusyBox ${requested} requested: Debian's ${version} stands in`);
    else if (!requested || !/^\d/.test(requested))
      warnings.push(
        `busybox:${ref.tag ?? 'latest'} moves with BusyBox releases; Debian's ${version} stands in`,
      );
    if (libc && libc !== 'glibc')
      warnings.push(
        `the ${libc} build requested: Debian's static glibc build stands in (same applets, static like it)`,
      );
    const binary = ['/usr/bin/busybox', '/bin/busybox'].find((path) => existsSync(path));
    return {
      available: true,
      family: 'busybox',
      offer: {
        content: {
          key: `busybox-${version}`,
          flavor: 'distroless',
          packages: [PACKAGE],
          hashInputs: [codeOf(import.meta.url)],
          changes: [
            'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
            'CMD ["sh"]',
          ],
          actual: `BusyBox ${version} (Debian ${PACKAGE}, statically linked)`,
          customize: (root) => {
            // /bin is usr/bin in the merged-/usr root; applets are hard links, as upstream has them.
            const target = join(root, 'usr/bin/busybox');
            for (const applet of binary ? appletsOf(binary) : ['sh']) {
              const link = join(root, 'usr/bin', applet);
              if (applet !== 'busybox' && !existsSync(link)) linkSync(target, link);
            }
          },
        },
        warnings,
        variantChanged: false,
        missingPackageManagers: [],
      },
    };
  },
};
