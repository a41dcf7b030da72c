// Encodings: base64, base64url, hex, urlquery, JSON and YAML. Portable: uses TextEncoder and
// atob/btoa-free byte handling so it runs in browsers too.
import { parse as parseYAML, stringify as stringifyYAML } from 'yaml';
import { builtinError, typeError } from '../errors.ts';
import { RObject, RSet, typeName } from '../value.ts';
import type { Value } from '../value.ts';
import { fromJS, parseJSON, toJSONText, keyString } from '../value-ops.ts';
import { obj, str } from './args.ts';
import { def } from './types.ts';
import type { BuiltinTable } from './types.ts';

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: false });
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Encode bytes as base64 (standard alphabet, padded). */
export function toBase64(bytes: Uint8Array, url = false, pad = true): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = [18, 12, 6, 0].map((s) => B64[(n >> s) & 63]!);
    const keep = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    out += chars.slice(0, keep).join('') + (pad ? '='.repeat(4 - keep) : '');
  }
  return url ? out.replace(/\+/g, '-').replace(/\//g, '_') : out;
}

/** Decode base64; throws on invalid input like Go's decoder. */
export function fromBase64(s: string, url = false, strictPad = true): Uint8Array {
  let t = url ? s.replace(/-/g, '+').replace(/_/g, '/') : s;
  if (!strictPad) t = t.replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t) || (strictPad && t.length % 4 !== 0) || t.length % 4 === 1)
    throw new Error('illegal base64 data at input byte 0');
  t = t.replace(/=+$/, '');
  const out: number[] = [];
  let buf = 0;
  let bits = 0;
  for (const c of t) {
    buf = (buf << 6) | B64.indexOf(c);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((buf >> bits) & 255);
    }
  }
  return new Uint8Array(out);
}

function b64decode(name: string, s: string, url: boolean): string {
  try {
    return dec.decode(fromBase64(s, url, !url || s.length % 4 === 0));
  } catch {
    return builtinError(name, 'illegal base64 data at input byte 0');
  }
}

function urlEncode(s: string): string {
  return encodeURIComponent(s)
    .replace(/%20/g, '+')
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function urlDecode(name: string, s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return builtinError(name, `invalid URL escape`);
  }
}

function yamlToValue(x: unknown): Value {
  if (x instanceof Map)
    return RObject.of([...x.entries()].map(([k, v]) => [String(k), yamlToValue(v)]));
  if (Array.isArray(x)) return x.map(yamlToValue);
  if (x instanceof Set) return [...x].map(yamlToValue);
  if (x !== null && typeof x === 'object') return fromJS(x);
  return fromJS(x);
}

function toPlain(v: Value): unknown {
  if (Array.isArray(v)) return v.map(toPlain);
  if (v instanceof RSet) return v.values().map(toPlain);
  if (v instanceof RObject)
    return Object.fromEntries(v.entries().map(([k, x]) => [keyString(k), toPlain(x)]));
  if (typeof v === 'bigint') return Number(v);
  return v;
}

function unmarshalJSON(name: string, s: string): Value {
  try {
    return parseJSON(s);
  } catch (e) {
    return builtinError(name, e instanceof Error ? e.message : 'invalid JSON');
  }
}

/** Encoding builtins. */
export const encodingBuiltins: BuiltinTable = {
  'base64.encode': def(1, (a) => toBase64(enc.encode(str('base64.encode', a, 0)))),
  'base64.decode': def(1, (a) => b64decode('base64.decode', str('base64.decode', a, 0), false)),
  'base64.is_valid': def(1, (a) => {
    try {
      fromBase64(str('base64.is_valid', a, 0));
      return true;
    } catch {
      return false;
    }
  }),
  'base64url.encode': def(1, (a) => toBase64(enc.encode(str('base64url.encode', a, 0)), true)),
  'base64url.encode_no_pad': def(1, (a) =>
    toBase64(enc.encode(str('base64url.encode_no_pad', a, 0)), true, false),
  ),
  'base64url.decode': def(1, (a) =>
    b64decode('base64url.decode', str('base64url.decode', a, 0), true),
  ),
  'hex.encode': def(1, (a) =>
    [...enc.encode(str('hex.encode', a, 0))].map((b) => b.toString(16).padStart(2, '0')).join(''),
  ),
  'hex.decode': def(1, (a) => {
    const s = str('hex.decode', a, 0);
    const bad = /[^0-9a-fA-F]/.exec(s);
    if (bad)
      builtinError(
        'hex.decode',
        `encoding/hex: invalid byte: U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} ${JSON.stringify(bad[0]).replace(/"/g, "'")}`,
      );
    if (s.length % 2) builtinError('hex.decode', 'encoding/hex: odd length hex string');
    const bytes = new Uint8Array(s.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
    return dec.decode(bytes);
  }),
  'urlquery.encode': def(1, (a) => urlEncode(str('urlquery.encode', a, 0))),
  'urlquery.decode': def(1, (a) => urlDecode('urlquery.decode', str('urlquery.decode', a, 0))),
  'urlquery.encode_object': def(1, (a) => {
    const o = obj('urlquery.encode_object', a, 0);
    const parts: string[] = [];
    for (const k of o.keys().map(String).sort()) {
      const v = o.get(k)!;
      const vals =
        typeof v === 'string'
          ? [v]
          : Array.isArray(v)
            ? v
            : v instanceof RSet
              ? v.values()
              : typeError(
                  'urlquery.encode_object',
                  `operand 1 must be object[string: any<string, array[string], set[string]>] but got ${typeName(v)}`,
                );
      for (const x of vals) parts.push(`${urlEncode(k)}=${urlEncode(String(x))}`);
    }
    return parts.join('&');
  }),
  'urlquery.decode_object': def(1, (a) => {
    const out = new RObject();
    for (const part of str('urlquery.decode_object', a, 0).split(/[&;]/)) {
      if (!part) continue;
      const [k, v = ''] = part.split('=', 2) as [string, string?];
      const key = urlDecode('urlquery.decode_object', k);
      const prev = (out.get(key) as Value[] | undefined) ?? [];
      out.set(key, [...prev, urlDecode('urlquery.decode_object', v)]);
    }
    return out;
  }),
  'json.marshal': def(1, ([v]) => toJSONText(v!)),
  'json.marshal_with_options': def(2, (a) => {
    const opts = obj('json.marshal_with_options', a, 1);
    for (const k of opts.keys())
      if (!['pretty', 'indent', 'prefix'].includes(String(k)))
        typeError('json.marshal_with_options', `object contained unknown key ${JSON.stringify(k)}`);
    const indent = opts.get('indent');
    const prefix = opts.get('prefix');
    const pretty = opts.get('pretty') ?? (indent !== undefined || prefix !== undefined);
    const compact = toJSONText(a[0]!);
    if (pretty !== true) return compact;
    const text = JSON.stringify(
      JSON.parse(compact),
      null,
      typeof indent === 'string' ? indent : '\t',
    );
    const p = typeof prefix === 'string' ? prefix : '';
    return text
      .split('\n')
      .map((l) => p + l)
      .join('\n');
  }),
  'json.unmarshal': def(1, (a) => unmarshalJSON('json.unmarshal', str('json.unmarshal', a, 0))),
  'json.is_valid': def(1, ([v]) => {
    if (typeof v !== 'string') return false;
    try {
      JSON.parse(v);
      return true;
    } catch {
      return false;
    }
  }),
  'yaml.marshal': def(1, ([v]) => stringifyYAML(toPlain(v!), { sortMapEntries: true })),
  'yaml.unmarshal': def(1, (a) => {
    try {
      return yamlToValue(
        parseYAML(str('yaml.unmarshal', a, 0), { intAsBigInt: true, mapAsMap: true }),
      );
    } catch (e) {
      return builtinError('yaml.unmarshal', e instanceof Error ? e.message : 'invalid YAML');
    }
  }),
  'yaml.is_valid': def(1, ([v]) => {
    if (typeof v !== 'string') return false;
    try {
      parseYAML(v);
      return true;
    } catch {
      return false;
    }
  }),
};
