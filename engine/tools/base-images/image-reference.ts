/**
 * Image references as a Dockerfile's FROM line names them (`node:18-slim`,
 * `docker.io/library/node:18-slim`, `gcr.io/distroless/static:nonroot`,
 * `127.0.0.1:5000/team/app@sha256:…`), parsed and normalized the way Docker does it
 * (github.com/distribution/reference): a first component with a dot or a port, or `localhost`,
 * is a registry host; everything else lives on Docker Hub, where a one-component name is an
 * official image under `library/`. So `node`, `library/node`, `docker.io/library/node` and
 * `index.docker.io/library/node` are one image, and a reference without tag or digest means
 * `:latest`.
 *
 * References come from repository files: the checks below are character scans and anchored
 * single-class regexes only (linear time).
 */

export const DOCKER_HUB = 'docker.io';
const HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
const MAX_NAME = 255;

export interface ImageReference {
  /** Registry host, with its port if any: `docker.io`, `gcr.io`, `127.0.0.1:5000`. */
  registry: string;
  /** Repository path inside the registry: `library/node`, `distroless/static`. */
  path: string;
  /** Last path component: `node`, `static`. */
  name: string;
  /** Path without its last component (`library`, `distroless`), '' when there is none. */
  namespace: string;
  /** The tag; `latest` when neither tag nor digest was given, undefined with a bare digest. */
  tag?: string;
  /** `sha256:<hex>` when the reference is pinned by digest. */
  digest?: string;
  /** An official Docker Hub image (`docker.io/library/<name>`). */
  official: boolean;
}

/** The reference is not a valid image reference; says why and what a valid one looks like. */
export class InvalidImageReferenceError extends Error {
  readonly reference: string;
  readonly remedy: string;
  constructor(reference: string, why: string) {
    super(`"${reference}" is not an image reference: ${why}`);
    this.name = 'InvalidImageReferenceError';
    this.reference = reference;
    this.remedy =
      'Name the image as [registry[:port]/]name[:tag][@sha256:digest] with a lower-case name, e.g. node:20-slim or gcr.io/distroless/static:nonroot; expand build arguments before resolving it.';
  }
}

/** Parses and normalizes one reference; throws InvalidImageReferenceError. */
export function parseImageReference(text: string): ImageReference {
  const input = text.trim();
  if (!input) throw new InvalidImageReferenceError(text, 'it is empty');
  if (input.includes('$'))
    throw new InvalidImageReferenceError(text, 'it contains an unexpanded variable');
  if (/\s/.test(input)) throw new InvalidImageReferenceError(text, 'it contains white space');
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^[a-z0-9][a-z0-9+._-]*:[0-9a-fA-F]{32,}$/.test(digest))
      throw new InvalidImageReferenceError(text, `"${digest}" is not a digest (sha256:<hex>)`);
    digest = digest.toLowerCase();
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!/^\w[\w.-]{0,127}$/.test(tag))
      throw new InvalidImageReferenceError(text, `"${tag}" is not a valid tag`);
  }
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  if (parts.length > 1 && isRegistryHost(parts[0] as string)) {
    registry = (parts.shift() as string).toLowerCase();
    if (!/^(?:[a-z0-9.-]+|\[[0-9a-f:]+\])(?::[0-9]{1,5})?$/.test(registry))
      throw new InvalidImageReferenceError(text, `"${registry}" is not a registry host`);
    if (HUB_ALIASES.has(registry)) registry = DOCKER_HUB;
  }
  for (const part of parts) {
    const why = componentProblem(part);
    if (why) throw new InvalidImageReferenceError(text, why);
  }
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  const path = parts.join('/');
  if (path.length > MAX_NAME)
    throw new InvalidImageReferenceError(text, `the name is longer than ${MAX_NAME} characters`);
  const name = parts[parts.length - 1] as string;
  return {
    registry,
    path,
    name,
    namespace: parts.slice(0, -1).join('/'),
    ...(tag !== undefined ? { tag } : digest ? {} : { tag: 'latest' }),
    ...(digest ? { digest } : {}),
    official: registry === DOCKER_HUB && parts.length === 2 && parts[0] === 'library',
  };
}

/** Fully qualified: `docker.io/library/node:18-slim`, `gcr.io/distroless/static@sha256:…`. */
export function normalizedReference(ref: ImageReference): string {
  return `${ref.registry}/${ref.path}${suffix(ref)}`;
}

/** The repository as Docker shows it: `node`, `bitnami/redis`, `gcr.io/distroless/static`. */
export function familiarRepository(ref: ImageReference): string {
  if (ref.registry !== DOCKER_HUB) return `${ref.registry}/${ref.path}`;
  return ref.official ? ref.name : ref.path;
}

/** As Docker shows it: `node:18-slim`, `gcr.io/distroless/static:nonroot`. */
export function familiarReference(ref: ImageReference): string {
  return `${familiarRepository(ref)}${suffix(ref)}`;
}

/**
 * The name an image for this reference carries on the engine. A tag can be set on any image; a
 * digest reference cannot (Docker records `name@sha256:…` only for images it pulled by that
 * digest), so an image standing in for `node:18@sha256:abc…` is tagged `node:sha256-abc…`: the
 * digest alone identifies the image Docker would have used, whatever the tag said.
 */
export function engineTag(ref: ImageReference): { repo: string; tag: string } {
  const repo = familiarRepository(ref);
  if (ref.digest) return { repo, tag: ref.digest.replace(':', '-') };
  return { repo, tag: ref.tag ?? 'latest' };
}

/** `engineTag` as one string, e.g. `node:18-slim`. */
export function engineName(ref: ImageReference): string {
  const { repo, tag } = engineTag(ref);
  return `${repo}:${tag}`;
}

/**
 * Where a registry mirror keeps this image: `<mirror>/library/node:18-slim` for Docker Hub
 * images (the path Docker Hub itself uses, so a pull-through cache and a hand-filled mirror
 * agree), `<mirror>/<registry-host>/<path>` for other registries
 * (`<mirror>/gcr.io/distroless/static:nonroot`). `mirrorUrl` may carry a scheme and a path
 * prefix (`https://mirror.corp:5000/hub`); Docker references take neither scheme nor slash at the
 * end.
 */
export function mirrorReference(ref: ImageReference, mirrorUrl: string): string {
  return `${mirrorHost(mirrorUrl)}/${mirrorPath(ref)}`;
}

/** The part of `mirrorReference` after the mirror: `library/node:18-slim`. */
export function mirrorPath(ref: ImageReference): string {
  const path = ref.registry === DOCKER_HUB ? ref.path : `${ref.registry}/${ref.path}`;
  return `${path}${suffix(ref)}`;
}

/** A mirror URL as the start of a Docker reference: no scheme, no trailing slash. */
export function mirrorHost(mirrorUrl: string): string {
  return mirrorUrl.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
}

/** The `image` argument of a FROM instruction: `[--platform=…] image [AS name]`. */
export function fromInstructionImage(argument: string): { image: string; stage?: string } {
  const words = argument.trim().split(/\s+/);
  while (words[0]?.startsWith('--')) words.shift();
  const image = words[0] ?? '';
  const stage = words[1]?.toLowerCase() === 'as' ? words[2] : undefined;
  return stage ? { image, stage } : { image };
}

function suffix(ref: ImageReference): string {
  return `${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

function isRegistryHost(part: string): boolean {
  return part.includes('.') || part.includes(':') || part === 'localhost';
}

/** Why a path component is not valid (distribution/reference's path-component grammar). */
function componentProblem(part: string): string | undefined {
  if (!part) return 'it has an empty path component';
  if (!/^[a-z0-9._-]+$/.test(part))
    return `"${part}" may contain only lower-case letters, digits and . _ -`;
  const first = part[0] as string;
  const last = part[part.length - 1] as string;
  if (!isAlphanumeric(first) || !isAlphanumeric(last))
    return `"${part}" must start and end with a letter or digit`;
  for (let i = 1; i < part.length; i++) {
    const pair = part.slice(i - 1, i + 1);
    // Separators are one of `.`, `_`, `__` or a run of `-`; anything else is two separators.
    if (isSeparator(pair[0] as string) && isSeparator(pair[1] as string)) {
      const ok = pair === '--' || pair === '__';
      const tripleUnderscore = pair === '__' && part[i + 1] === '_';
      if (!ok || tripleUnderscore) return `"${part}" has consecutive separators`;
    }
  }
  return undefined;
}

function isSeparator(char: string): boolean {
  return char === '.' || char === '_' || char === '-';
}

function isAlphanumeric(char: string): boolean {
  return (char >= 'a' && char <= 'z') || (char >= '0' && char <= '9');
}
