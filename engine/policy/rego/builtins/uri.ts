// uri.parse / uri.is_valid, following Go's net/url.Parse closely enough for policy use:
// scheme, userinfo validation, host/port checks, percent-decoding and raw_path rules.
import { builtinError } from '../errors.ts';
import { RObject } from '../value.ts';
import { str } from './args.ts';
import { def } from './types.ts';
import type { BuiltinTable } from './types.ts';

const enc = new TextEncoder();

function unescape(s: string): string {
  const bad = /%(?![0-9a-fA-F]{2})/.exec(s);
  if (bad)
    throw new Error(`invalid URL escape ${JSON.stringify(s.slice(bad.index, bad.index + 3))}`);
  return decodeURIComponent(s.replace(/%(?![0-9a-fA-F]{2})/g, '%25'));
}

// Go's shouldEscape for path components: unreserved and $&+,/:;=@ stay as they are.
function escapePath(s: string): string {
  let out = '';
  for (const b of enc.encode(s)) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-_.~$&+,/:;=@]/.test(c)
      ? c
      : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

type Parsed = Record<string, string>;

function parse(s: string): Parsed {
  const out: Parsed = {};
  if (s === '') return out;
  let rest = s;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    out.fragment = unescape(rest.slice(hash + 1));
    rest = rest.slice(0, hash);
  }
  const sm = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (sm) {
    out.scheme = sm[1]!.toLowerCase();
    rest = rest.slice(sm[0].length);
  } else if (/^[^/?]*:/.test(rest))
    throw new Error('first path segment in URL cannot contain colon');
  const q = rest.indexOf('?');
  if (q >= 0) {
    const rq = rest.slice(q + 1);
    if (rq) out.raw_query = rq;
    rest = rest.slice(0, q);
  }
  if (out.scheme && !rest.startsWith('/')) return out;
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? '' : rest.slice(slash);
    parseAuthority(authority, out);
  }
  if (rest) {
    const path = unescape(rest);
    out.path = path;
    out.raw_path = escapePath(path) === rest ? path : rest;
  }
  return out;
}

function parseAuthority(authority: string, out: Parsed): void {
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    if (!/^[A-Za-z0-9\-._~!$&'()*+,;=:%]*$/.test(userinfo))
      throw new Error('net/url: invalid userinfo');
    authority = authority.slice(at + 1);
  }
  let host = authority;
  let port = '';
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    if (end < 0) throw new Error("missing ']' in host");
    const after = host.slice(end + 1);
    if (after && !after.startsWith(':'))
      throw new Error(`invalid port ${JSON.stringify(after)} after host`);
    port = after.slice(1);
    host = host.slice(1, end);
  } else {
    const colon = host.lastIndexOf(':');
    if (colon >= 0) {
      port = host.slice(colon + 1);
      host = host.slice(0, colon);
      if (!/^[0-9]*$/.test(port))
        throw new Error(`invalid port ${JSON.stringify(':' + port)} after host`);
    }
    const pct = /%[0-9a-fA-F]{2}/.exec(host);
    if (pct) throw new Error(`invalid URL escape ${JSON.stringify(pct[0])}`);
  }
  if (host) out.hostname = host;
  if (port) out.port = port;
}

/** URI builtins. */
export const uriBuiltins: BuiltinTable = {
  'uri.parse': def(1, (a) => {
    const s = str('uri.parse', a, 0);
    try {
      return RObject.of(Object.entries(parse(s)));
    } catch (e) {
      return builtinError(
        'uri.parse',
        `parse ${JSON.stringify(s)}: ${e instanceof Error ? e.message : 'invalid URI'}`,
      );
    }
  }),
  'uri.is_valid': def(1, ([v]) => {
    if (typeof v !== 'string' || v === '') return false;
    try {
      parse(v);
      return true;
    } catch {
      return false;
    }
  }),
};
