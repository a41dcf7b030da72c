/**
 * `golang:*` — Debian 12 + the host's Go (golang-go, 1.19 on Debian 12) laid out like the
 * official image: GOROOT reachable as /usr/local/go, GOPATH=/go (world-writable, as there),
 * /go/bin and /usr/local/go/bin on PATH, WORKDIR /go. The official non-alpine image also carries
 * gcc, libc6-dev, make, pkg-config and git (cgo builds, VCS stamping); those this machine has
 * come along. A go.mod that needs a newer Go than 1.19 will not build: the version warning says
 * so up front.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageReference } from '../image-reference.ts';
import { linkInRoot } from '../root-edit.ts';
import { codeOf, debianLabel, DEFAULT_PATH } from './debian.ts';
import type { HostContext, StandInAnswer, StandInFamily } from './types.ts';
import { differenceFrom, splitTag } from './variant.ts';

/** What the official image has besides Go, taken when installed here. */
const BUILD_TOOLS = ['gcc', 'libc6-dev', 'make', 'pkg-config', 'git'];

/** The host's Go: version and GOROOT (`/usr/lib/go-1.19`), from the golang-1.N-go package. */
export function hostGo(context: HostContext): { version: string; root: string } | undefined {
  const name = context.database.packages
    .get('golang-go')
    ?.depends.flat()
    .find((dependency) => /^golang-1\.\d+-go$/.test(dependency));
  const item = name ? context.database.packages.get(name) : undefined;
  const version = item ? /^(\d+\.\d+(?:\.\d+)?)/.exec(item.version)?.[1] : undefined;
  if (!item || !version) return undefined;
  return { version, root: `/usr/lib/go-${/^golang-(1\.\d+)-go$/.exec(item.name)?.[1]}` };
}

export const golangFamily: StandInFamily = {
  name: 'golang',
  examples: ['golang:1.22', 'golang:1.22-alpine', 'golang:1.21-bookworm', 'golang:alpine'],
  describe: (context) =>
    `${debianLabel()} + Go ${hostGo(context)?.version ?? '(not installed)'}, gcc, make, git; another version: a warning`,
  matches: (ref) => ref.official && ref.name === 'golang',
  offer: async (ref: ImageReference, context: HostContext): Promise<StandInAnswer> => {
    const go = hostGo(context);
    if (!go)
      return { available: false, family: 'golang', reason: 'Go (golang-go) is not installed here' };
    const tag = splitTag(ref.tag, (word) => word === 'latest');
    const requested = tag.version ?? 'latest';
    if (requested !== 'latest' && !/^1(?:\.\d+){0,2}(?:rc\d+)?$/.test(requested))
      return { available: false, family: 'golang', reason: `golang:${ref.tag} is not a Go tag` };
    const difference = differenceFrom(tag.os);
    const warnings = [...difference.warnings];
    const minor = go.version.split('.').slice(0, 2).join('.');
    if (requested === 'latest' || requested === '1')
      warnings.push(`golang:${requested} moves with Go releases; Go ${go.version} stands in`);
    else if (!`${requested}.`.startsWith(`${minor}.`) && requested !== minor)
      warnings.push(
        `Go ${requested} requested: Go ${go.version} stands in (modules that need a newer go directive will not build)`,
      );
    if (tag.rest.length) warnings.push(`tag parts not stood in: ${tag.rest.join('-')}`);
    const tools = BUILD_TOOLS.filter((name) => context.database.packages.has(name));
    return {
      available: true,
      family: 'golang',
      offer: {
        content: {
          key: `golang-${go.version}`,
          flavor: 'debian',
          packages: ['golang-go', ...tools],
          hashInputs: [codeOf(import.meta.url)],
          changes: [
            `ENV GOLANG_VERSION=${go.version}`,
            'ENV GOPATH=/go',
            'ENV GOTOOLCHAIN=local',
            `ENV PATH=/go/bin:/usr/local/go/bin:${DEFAULT_PATH}`,
            'WORKDIR /go',
          ],
          actual: `Go ${go.version}${tools.length ? ` with ${tools.join(', ')}` : ''} on ${debianLabel()}`,
          customize: (root) => {
            linkInRoot(root, '/usr/local/go', go.root);
            for (const dir of ['go', 'go/src', 'go/bin']) {
              mkdirSync(join(root, dir), { recursive: true });
              chmodSync(join(root, dir), 0o1777);
            }
          },
        },
        warnings,
        variantChanged: difference.variantChanged,
        missingPackageManagers: difference.missingPackageManagers,
      },
    };
  },
};
