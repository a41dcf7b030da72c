/**
 * `node:*` — Debian 12 + a Node.js binary from this machine (node-runtimes.ts) + npm, npx,
 * yarn 1 and corepack, laid out like the official image (docker-library/node): node in
 * /usr/local/bin, npm and corepack under /usr/local/lib/node_modules, yarn in /opt/yarn-v<ver>,
 * headers in /usr/local/include/node, a `node` user (uid/gid 1000, home /home/node) because real
 * Dockerfiles say `USER node` and `chown node:node`, the same entrypoint behaviour, CMD node and
 * no WORKDIR.
 *
 * npm, yarn and corepack are the versions pinned in ./node-tools/package.json (its own lockfile,
 * installed by setup), not whatever the host has. Corepack is left out from Node 25 on, like the
 * official images (Node stopped bundling it).
 */
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImageReference } from '../image-reference.ts';
import { addUser, linkInRoot, writeInRoot } from '../root-edit.ts';
import { copyIn, stampsOf } from '../rootfs.ts';
import { librariesOf, type BinaryLibraries } from './libraries.ts';
import { codeOf, debianLabel, DEFAULT_PATH } from './debian.ts';
import { nodeRuntimes, pickRuntime, runtimeStamp, type NodeRuntime } from './node-runtimes.ts';
import type { HostContext, StandInAnswer, StandInContent, StandInFamily } from './types.ts';
import { differenceFrom, splitTag } from './variant.ts';

/** Release lines by codename (https://github.com/nodejs/Release). */
export const NODE_CODENAMES: Record<string, number> = {
  argon: 4,
  boron: 6,
  carbon: 8,
  dubnium: 10,
  erbium: 12,
  fermium: 14,
  gallium: 16,
  hydrogen: 18,
  iron: 20,
  jod: 22,
  krypton: 24,
};
/** The newest LTS line named above; `node:lts` follows the real schedule, this does not. */
const LTS_MAJOR = Math.max(...Object.values(NODE_CODENAMES));
const MOVING = new Set(['lts', 'current', 'latest']);
const TOOLS_DIR = fileURLToPath(new URL('../node-tools/node_modules/', import.meta.url));
const TOOLS = ['npm', 'yarn', 'corepack'] as const;
/**
 * The full (non-slim) official image is built on buildpack-deps: native addons compile there
 * (node-gyp needs python3, make and a C++ compiler). Offline that is the only way they install,
 * since their prebuilt-binary downloads cannot reach GitHub.
 */
const BUILD_TOOLS = ['python3', 'make', 'g++', 'git'];
const ENTRYPOINT = `#!/bin/sh
set -e
# As in the official image: run the arguments with node when the first is an option
# (\`-e …\`) or not a command on PATH (\`server.js\`), else run them as they are.
if [ "\${1#-}" != "\${1}" ] || [ -z "$(command -v "\${1}")" ] || { [ -f "\${1}" ] && ! [ -x "\${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
`;

/** The versions of the pinned tools, or undefined when setup has not installed them. */
export function nodeToolVersions(): Record<(typeof TOOLS)[number], string> | undefined {
  const entries = TOOLS.map((tool) => {
    const manifest = join(TOOLS_DIR, tool, 'package.json');
    if (!existsSync(manifest)) return undefined;
    return [tool, (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version];
  });
  if (entries.some((entry) => !entry)) return undefined;
  return Object.fromEntries(entries as Array<[string, string]>) as Record<
    (typeof TOOLS)[number],
    string
  >;
}

/** The requested major (undefined for current/latest: the newest here). */
export function requestedNodeMajor(version: string | undefined): number | undefined | 'invalid' {
  if (!version || version === 'latest' || version === 'current') return undefined;
  if (version === 'lts') return LTS_MAJOR;
  if (version in NODE_CODENAMES) return NODE_CODENAMES[version];
  const major = /^(\d+)(?:\.\d+){0,2}$/.exec(version)?.[1];
  return major ? Number(major) : 'invalid';
}

export const nodeFamily: StandInFamily = {
  name: 'node',
  examples: [
    'node:20-slim',
    'node:18.19.1-bookworm-slim',
    'node:lts-alpine',
    'node:iron',
    'node:current',
  ],
  describe: async (context) => {
    const runtimes = await nodeRuntimes(context.dataDir);
    const tools = nodeToolVersions();
    return `${debianLabel()} + Node ${runtimes.map((runtime) => runtime.version).join(' or ') || '(none here)'}${tools ? `, npm ${tools.npm}, yarn ${tools.yarn}, corepack ${tools.corepack}` : ''}; another major: the nearest, with a warning`;
  },
  matches: (ref) => ref.official && ref.name === 'node',
  offer: async (ref: ImageReference, context: HostContext): Promise<StandInAnswer> => {
    const tag = splitTag(ref.tag, (word) => MOVING.has(word) || word in NODE_CODENAMES);
    const wanted = requestedNodeMajor(tag.version);
    if (wanted === 'invalid')
      return { available: false, family: 'node', reason: `node:${ref.tag} is not a Node tag` };
    const tools = nodeToolVersions();
    if (!tools)
      return {
        available: false,
        family: 'node',
        reason: `npm, yarn and corepack for Node stand-ins are not installed in ${TOOLS_DIR} (npm run setup installs them)`,
      };
    const runtimes = await nodeRuntimes(context.dataDir);
    const runtime = wanted === undefined ? runtimes[0] : pickRuntime(runtimes, wanted);
    if (!runtime)
      return { available: false, family: 'node', reason: 'no Node.js binary on this machine' };
    const difference = differenceFrom(tag.os);
    const warnings = [...difference.warnings];
    if (wanted !== undefined && runtime.major !== wanted)
      warnings.push(
        `Node ${tag.version === String(wanted) ? wanted : `${wanted} (${tag.version})`} requested: Node ${runtime.version} stands in (the major differs)`,
      );
    if (tag.version && MOVING.has(tag.version))
      warnings.push(
        `node:${tag.version} moves with Node releases; Node ${runtime.version} stands in`,
      );
    if (tag.rest.length) warnings.push(`tag parts not stood in: ${tag.rest.join('-')}`);
    const full = !tag.slim && tag.os?.kind !== 'alpine';
    const buildTools = full
      ? BUILD_TOOLS.filter((name) => context.database.packages.has(name))
      : [];
    return {
      available: true,
      family: 'node',
      offer: {
        content: nodeContent(
          runtime,
          tools,
          await librariesOf([runtime.binary], context),
          buildTools,
        ),
        warnings,
        variantChanged: difference.variantChanged,
        missingPackageManagers: difference.missingPackageManagers,
      },
    };
  },
};

function nodeContent(
  runtime: NodeRuntime,
  tools: Record<(typeof TOOLS)[number], string>,
  libraries: BinaryLibraries,
  buildTools: string[],
): StandInContent {
  const withCorepack = runtime.major < 25;
  const withTools = buildTools.length > 0 ? ` with ${buildTools.join(', ')}` : '';
  const yarnHome = `/opt/yarn-v${tools.yarn}`;
  const toolStamps = TOOLS.map((tool) => stampsOf([join(TOOLS_DIR, tool, 'package.json')]));
  return {
    key: `node-${runtime.version}${buildTools.length > 0 ? '-full' : ''}`,
    flavor: 'debian',
    packages: [...libraries.packages, ...buildTools],
    hashInputs: [
      codeOf(import.meta.url),
      runtimeStamp(runtime),
      ...toolStamps,
      stampsOf(libraries.unowned),
    ],
    changes: [
      `ENV NODE_VERSION=${runtime.version}`,
      `ENV YARN_VERSION=${tools.yarn}`,
      `ENV PATH=${DEFAULT_PATH}`,
      // node-gyp takes the headers beside the binary instead of downloading them (offline).
      ...(runtime.include ? ['ENV npm_config_nodedir=/usr/local'] : []),
      'ENTRYPOINT ["docker-entrypoint.sh"]',
      'CMD ["node"]',
    ],
    actual: `Node ${runtime.version}, npm ${tools.npm}, yarn ${tools.yarn}${withCorepack ? `, corepack ${tools.corepack}` : ''}${withTools} on ${debianLabel()}`,
    customize: (root) => {
      mkdirSync(join(root, 'usr/local/bin'), { recursive: true });
      copyFileSync(runtime.binary, join(root, 'usr/local/bin/node'));
      for (const library of libraries.unowned) copyIn(root, library);
      chmodSync(join(root, 'usr/local/bin/node'), 0o755);
      if (runtime.include)
        cpSync(runtime.include, join(root, 'usr/local/include/node'), { recursive: true });
      const modules = '/usr/local/lib/node_modules';
      copyTool(root, 'npm', `${modules}/npm`);
      linkInRoot(root, '/usr/local/bin/npm', '../lib/node_modules/npm/bin/npm-cli.js');
      linkInRoot(root, '/usr/local/bin/npx', '../lib/node_modules/npm/bin/npx-cli.js');
      if (withCorepack) {
        copyTool(root, 'corepack', `${modules}/corepack`);
        linkInRoot(
          root,
          '/usr/local/bin/corepack',
          '../lib/node_modules/corepack/dist/corepack.js',
        );
      }
      copyTool(root, 'yarn', yarnHome);
      linkInRoot(root, '/usr/local/bin/yarn', `${yarnHome}/bin/yarn.js`);
      linkInRoot(root, '/usr/local/bin/yarnpkg', `${yarnHome}/bin/yarn.js`);
      writeInRoot(root, '/usr/local/bin/docker-entrypoint.sh', ENTRYPOINT, 0o755);
      addUser(root, { name: 'node', uid: 1000, gid: 1000, home: '/home/node', shell: '/bin/bash' });
    },
  };
}

/** Copies a pinned tool's package and makes its entry scripts executable. */
function copyTool(root: string, tool: (typeof TOOLS)[number], imagePath: string): void {
  cpSync(join(TOOLS_DIR, tool), join(root, imagePath), { recursive: true });
  const scripts = {
    npm: ['bin/npm-cli.js', 'bin/npx-cli.js'],
    yarn: ['bin/yarn.js', 'bin/yarn'],
    corepack: ['dist/corepack.js'],
  }[tool];
  for (const script of scripts)
    if (existsSync(join(root, imagePath, script))) chmodSync(join(root, imagePath, script), 0o755);
}
