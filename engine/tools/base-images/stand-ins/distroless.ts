/**
 * `gcr.io/distroless/*` — minimal roots with no shell and no package manager, made of exactly
 * the Debian packages GoogleContainerTools/distroless puts in each image: static (base-files,
 * netbase, tzdata, ca-certificates), base (+ glibc and OpenSSL), cc (+ libgcc, libstdc++,
 * libgomp) and nodejs<N> (cc + a Node binary at /nodejs/bin/node, the entrypoint). Users root,
 * nobody and nonroot (65532); the `:nonroot` tags run as nonroot from /home/nonroot. Package
 * records go to /var/lib/dpkg/status.d as in distroless, so scanners still see them.
 */
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageReference } from '../image-reference.ts';
import { copyIn, stampsOf } from '../rootfs.ts';
import { codeOf } from './debian.ts';
import { librariesOf } from './libraries.ts';
import { nodeRuntimes, pickRuntime, runtimeStamp } from './node-runtimes.ts';
import type { HostContext, StandInAnswer, StandInContent, StandInFamily } from './types.ts';
import { differenceFrom, debianRelease } from './variant.ts';

const LAYERS: Record<string, string[]> = {
  static: ['base-files', 'netbase', 'tzdata', 'ca-certificates'],
  'base-nossl': ['base-files', 'netbase', 'tzdata', 'ca-certificates', 'libc6'],
  base: ['base-files', 'netbase', 'tzdata', 'ca-certificates', 'libc6', 'libssl3'],
  cc: [
    'base-files',
    'netbase',
    'tzdata',
    'ca-certificates',
    'libc6',
    'libssl3',
    'libgcc-s1',
    'libstdc++6',
    'libgomp1',
  ],
};
const ENV = [
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt',
];

/** `static-debian12` → { kind: 'static', debian: 'debian12' }; `nodejs20-debian12` → nodejs 20. */
function parseName(name: string): { kind: string; node?: number; debian?: string } {
  const [head = '', debian] = name.split('-debian');
  const node = /^nodejs(\d+)$/.exec(head)?.[1];
  return {
    kind: node ? 'nodejs' : head,
    ...(node ? { node: Number(node) } : {}),
    ...(debian ? { debian: `debian${debian}` } : {}),
  };
}

export const distrolessFamily: StandInFamily = {
  name: 'distroless',
  examples: [
    'gcr.io/distroless/static-debian12:nonroot',
    'gcr.io/distroless/base-debian12',
    'gcr.io/distroless/cc',
    'gcr.io/distroless/nodejs20-debian12',
  ],
  describe: () =>
    'static, base, cc and nodejs<N> roots from this machine’s Debian 12 packages; no shell, no package manager',
  matches: (ref) => ref.registry === 'gcr.io' && ref.namespace === 'distroless',
  offer: async (ref: ImageReference, context: HostContext): Promise<StandInAnswer> => {
    const name = parseName(ref.name);
    const tag = ref.tag ?? 'latest';
    const nonroot = tag === 'nonroot' || tag.endsWith('-nonroot');
    if (tag.startsWith('debug'))
      return {
        available: false,
        family: 'distroless',
        reason: `${ref.path}:${tag} needs BusyBox, which this machine does not have`,
      };
    if (tag !== 'latest' && tag !== 'nonroot')
      return { available: false, family: 'distroless', reason: `unknown distroless tag ${tag}` };
    const base = LAYERS[name.kind === 'nodejs' ? 'cc' : name.kind];
    if (!base)
      return {
        available: false,
        family: 'distroless',
        reason: `${ref.path} is not stood in here (static, base, base-nossl, cc and nodejs<N> are)`,
      };
    const missing = base.filter((item) => !context.database.packages.has(item));
    if (missing.length)
      return {
        available: false,
        family: 'distroless',
        reason: `this machine lacks the packages ${missing.join(', ')}`,
      };
    const difference = differenceFrom(
      name.debian ? debianRelease(name.debian.slice(6)) : undefined,
    );
    const warnings = [...difference.warnings];
    let content = distrolessContent(name.kind, base, nonroot);
    if (name.node !== undefined) {
      const runtime = pickRuntime(await nodeRuntimes(context.dataDir), name.node);
      if (!runtime)
        return { available: false, family: 'distroless', reason: 'no Node.js binary here' };
      if (runtime.major !== name.node)
        warnings.push(
          `Node ${name.node} requested: Node ${runtime.version} stands in (the major differs)`,
        );
      const libraries = await librariesOf([runtime.binary], context);
      content = {
        ...content,
        key: `${content.key}-node-${runtime.version}`,
        packages: [...new Set([...base, ...libraries.packages])],
        hashInputs: [...content.hashInputs, runtimeStamp(runtime), stampsOf(libraries.unowned)],
        changes: [...content.changes, 'ENTRYPOINT ["/nodejs/bin/node"]'],
        actual: `Node ${runtime.version} on a distroless cc root from ${content.actual.split(' from ')[1]}`,
        customize: (root) => {
          mkdirSync(join(root, 'nodejs/bin'), { recursive: true });
          copyFileSync(runtime.binary, join(root, 'nodejs/bin/node'));
          chmodSync(join(root, 'nodejs/bin/node'), 0o755);
          for (const library of libraries.unowned) copyIn(root, library);
        },
      };
    }
    return {
      available: true,
      family: 'distroless',
      offer: {
        content,
        warnings,
        variantChanged: difference.variantChanged,
        missingPackageManagers: [],
      },
    };
  },
};

function distrolessContent(kind: string, packages: string[], nonroot: boolean): StandInContent {
  return {
    key: `distroless-${kind}${nonroot ? '-nonroot' : ''}`,
    flavor: 'distroless',
    packages,
    hashInputs: [codeOf(import.meta.url)],
    changes: [...ENV, ...(nonroot ? ['USER 65532:65532', 'WORKDIR /home/nonroot'] : ['WORKDIR /'])],
    actual: `distroless ${kind} (${packages.join(', ')}) from this machine's Debian 12 packages`,
  };
}
