/**
 * Where the package relay sends a request and how it rewrites what comes back (pure, no I/O).
 *
 * Each relay port serves one mirror at its root: the mirror's base (origin + path) maps to `/`,
 * so the absolute paths clients build (`/express`, `/@scope%2fname`, `/-/v1/search`) keep
 * working. PyPI is the one exception: a simple index lives at `…/simple/` while its files live
 * beside it (`…/packages/…`, devpi's `…/+f/…`, reached by relative `../../` links), so the base
 * is the index's parent and clients are given `/simple/`.
 *
 * Text answers (npm packuments, PyPI index pages, Maven metadata) name the mirror by its
 * absolute URL; those URLs are rewritten to the relay's origin, so the follow-up requests
 * (tarballs, files) come back through the relay, which adds the credential. Only text that
 * carries the exact base followed by a URL boundary is touched; the scan is indexOf-based
 * (linear, no regex over upstream text).
 */
import type { PackageEcosystem } from './offline-settings.ts';

export interface MirrorMapping {
  /** The mirror's origin and base path without a trailing slash: `https://nexus/repository/npm`. */
  base: string;
  /** The path clients are given on the relay: `/`, or `/simple/` for a PyPI index. */
  entryPath: string;
}

const PYPI_INDEX_SEGMENTS = new Set(['simple', '+simple']);

/** How a mirror URL maps onto a relay port. */
export function mirrorMapping(ecosystem: PackageEcosystem, mirrorUrl: string): MirrorMapping {
  const url = new URL(mirrorUrl);
  const segments = url.pathname.split('/').filter(Boolean);
  const last = segments.at(-1);
  if (ecosystem === 'pypi' && last && PYPI_INDEX_SEGMENTS.has(last)) {
    const parent = segments.slice(0, -1).join('/');
    return { base: `${url.origin}${parent ? `/${parent}` : ''}`, entryPath: `/${last}/` };
  }
  return {
    base: `${url.origin}${segments.length ? `/${segments.join('/')}` : ''}`,
    entryPath: '/',
  };
}

/**
 * The upstream URL for a request's raw path and query (kept byte for byte: `%2f` in a scoped npm
 * name must stay encoded). Undefined when the path could step out of the base (`..`, `.`,
 * encoded or not): the relay's credential is for the mirror's base, not the rest of its host.
 */
export function upstreamUrl(mapping: MirrorMapping, rawPathAndQuery: string): string | undefined {
  if (!rawPathAndQuery.startsWith('/') || rawPathAndQuery.startsWith('//')) return undefined;
  const queryAt = rawPathAndQuery.indexOf('?');
  const path = queryAt === -1 ? rawPathAndQuery : rawPathAndQuery.slice(0, queryAt);
  for (const segment of path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
    if (decoded === '..' || decoded === '.' || decoded.includes('\\')) return undefined;
  }
  return `${mapping.base}${rawPathAndQuery}`;
}

/**
 * Characters that may follow the base inside a URL written in text: a path, query or fragment,
 * the end of the URL (a quote, a tag, a space), or the backslash of JSON's `\/`.
 */
const BOUNDARY = new Set([
  '/',
  '\\',
  '?',
  '#',
  '"',
  "'",
  '<',
  '>',
  ' ',
  '\t',
  '\n',
  '\r',
  ')',
  ',',
]);

function replaceAtBoundaries(text: string, from: string, to: string): string {
  let out = '';
  let start = 0;
  for (let at = text.indexOf(from); at !== -1; at = text.indexOf(from, at + from.length)) {
    const next = text[at + from.length];
    if (next !== undefined && !BOUNDARY.has(next)) continue;
    out += text.slice(start, at) + to;
    start = at + from.length;
  }
  return start === 0 ? text : out + text.slice(start);
}

/**
 * Rewrites the mirror's base to the relay's origin in a text answer, also in the `\/` form some
 * JSON encoders write.
 */
export function rewriteText(text: string, mapping: MirrorMapping, relayOrigin: string): string {
  const plain = replaceAtBoundaries(text, mapping.base, relayOrigin);
  const escape = (value: string) => value.replaceAll('/', '\\/');
  return replaceAtBoundaries(plain, escape(mapping.base), escape(relayOrigin));
}

/** A redirect to somewhere under the base goes to the relay instead. */
export function rewriteLocation(
  location: string,
  mapping: MirrorMapping,
  relayOrigin: string,
): string {
  return location === mapping.base || location.startsWith(`${mapping.base}/`)
    ? relayOrigin + location.slice(mapping.base.length)
    : location;
}

/**
 * Whether an answer is text the relay rewrites: JSON, HTML, XML. A Maven `.pom` is XML but is
 * checked against its published `.sha1`, so it is passed through untouched like any artifact.
 */
export function isRewritable(contentType: string | undefined, path: string): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const text = type.endsWith('json') || type.endsWith('html') || type.endsWith('xml');
  const pathOnly = path.split('?')[0]!;
  return text && !pathOnly.endsWith('.pom');
}
