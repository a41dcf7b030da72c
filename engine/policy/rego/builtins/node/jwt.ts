// io.jwt.* builtins (JWS compact serialisation) on node:crypto: decode, verify_*, decode_verify
// and encode_sign(_raw). Signature checks follow RFC 7515/7518; ECDSA signatures are raw r||s.
import { constants, createHmac, sign, timingSafeEqual, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { builtinError } from '../../errors.ts';
import { RObject, isNumber } from '../../value.ts';
import type { Value } from '../../value.ts';
import { compareNumbers, parseJSON, toJSONText } from '../../value-ops.ts';
import { obj, str } from '../args.ts';
import { def } from '../types.ts';
import type { BuiltinContext, BuiltinTable } from '../types.ts';
import { publicKeys, signingKey } from './jwt-keys.ts';

type Decoded = {
  header: RObject;
  payload: Value;
  signature: Buffer;
  signed: string;
  nested?: string;
};

const HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

// Strict unpadded base64url, reporting the first bad byte as Go's decoder does.
function b64(name: string, part: string, what: string): Buffer {
  const bad = /[^A-Za-z0-9_-]/.exec(part);
  const at = bad ? bad.index : part.length % 4 === 1 ? part.length - 1 : -1;
  if (at >= 0)
    builtinError(name, `${what} had invalid encoding: illegal base64 data at input byte ${at}`);
  return Buffer.from(part, 'base64url');
}

function b64json(name: string, part: string, what: string): Value {
  const raw = b64(name, part, what).toString('utf8');
  try {
    return parseJSON(raw);
  } catch {
    return builtinError(name, `${what} is not valid JSON`);
  }
}

/** Decode one JWS layer; a nested JWT (cty: JWT) names its inner token in `nested`. */
function decodeLayer(name: string, token: string): Decoded {
  if (!token.includes('.')) builtinError(name, 'encoded JWT had no period separators');
  const parts = token.split('.');
  if (parts.length === 5) builtinError(name, 'JWT is a JWE object, which is not supported');
  if (parts.length !== 3)
    builtinError(name, `encoded JWT must have 3 sections, found ${parts.length}`);
  const header = b64json(name, parts[0]!, 'JWT header');
  if (!(header instanceof RObject)) return builtinError(name, 'JWT header must be an object');
  if (header.has('enc')) builtinError(name, 'JWT is a JWE object, which is not supported');
  const signature = b64(name, parts[2]!, 'JWT signature');
  const signed = `${parts[0]}.${parts[1]}`;
  // The inner token of a nested JWT is the payload itself, or a JSON string holding it.
  if (header.get('cty') === 'JWT') {
    const raw = b64(name, parts[1]!, 'JWT payload').toString('utf8');
    let inner: Value = raw;
    try {
      inner = parseJSON(raw);
    } catch {
      inner = raw;
    }
    if (typeof inner !== 'string') builtinError(name, 'type is JWT but payload is not JSON');
    return { header, payload: null, signature, signed, nested: inner };
  }
  return { header, payload: b64json(name, parts[1]!, 'JWT payload'), signature, signed };
}

/** All layers of a token, outermost first. */
function layers(name: string, token: string): Decoded[] {
  const out = [decodeLayer(name, token)];
  while (out[out.length - 1]!.nested !== undefined) {
    if (out.length > 8) builtinError(name, 'JWT nesting too deep');
    out.push(decodeLayer(name, out[out.length - 1]!.nested!));
  }
  return out;
}

function decode(name: string, token: string): Decoded {
  return layers(name, token).at(-1)!;
}

function verifyWith(alg: string, key: KeyObject | Buffer, data: string, sig: Buffer): boolean {
  const bits = alg.slice(2);
  const hash = HASH[bits];
  try {
    if (alg.startsWith('HS') && hash) {
      const mac = createHmac(hash, key as Buffer)
        .update(data)
        .digest();
      return mac.length === sig.length && timingSafeEqual(mac, sig);
    }
    const k = key as KeyObject;
    if (alg.startsWith('RS') && hash) return verify(hash, Buffer.from(data), k, sig);
    if (alg.startsWith('PS') && hash)
      return verify(
        hash,
        Buffer.from(data),
        {
          key: k,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: constants.RSA_PSS_SALTLEN_AUTO,
        },
        sig,
      );
    if (alg.startsWith('ES') && hash)
      return verify(hash, Buffer.from(data), { key: k, dsaEncoding: 'ieee-p1363' }, sig);
    if (alg === 'EdDSA') return verify(null, Buffer.from(data), k, sig);
  } catch {
    return false;
  }
  return false;
}

function verifyToken(name: string, alg: string, token: string, material: string): boolean {
  const d = decodeLayer(name, token);
  if (alg.startsWith('HS'))
    return verifyWith(alg, Buffer.from(material, 'utf8'), d.signed, d.signature);
  let keys: KeyObject[];
  try {
    keys = publicKeys(material);
  } catch (e) {
    return builtinError(name, e instanceof Error ? e.message : 'invalid key');
  }
  return keys.some((k) => verifyWith(alg, k, d.signed, d.signature));
}

function signWith(name: string, alg: string, key: KeyObject, data: string): Buffer {
  const hash = HASH[alg.slice(2)];
  if (alg.startsWith('HS') && hash) return createHmac(hash, key).update(data).digest();
  if (alg.startsWith('RS') && hash) return sign(hash, Buffer.from(data), key);
  if (alg.startsWith('PS') && hash)
    return sign(hash, Buffer.from(data), {
      key,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
    });
  if (alg.startsWith('ES') && hash)
    return sign(hash, Buffer.from(data), { key, dsaEncoding: 'ieee-p1363' });
  if (alg === 'EdDSA') return sign(null, Buffer.from(data), key);
  return builtinError(name, `unknown JWS algorithm: ${alg}`);
}

function encodeRaw(name: string, header: string, payload: string, key: string): string {
  if (header === '')
    builtinError(
      name,
      "missing or invalid 'alg' header: cannot parse JSON: cannot parse empty string",
    );
  let h: Value = null;
  try {
    h = parseJSON(header);
  } catch {
    if (header.trim().startsWith('{'))
      builtinError(name, "missing or invalid 'alg' header: cannot parse JSON");
  }
  if (h instanceof RObject && h.get('typ') === 'JWT') {
    try {
      if (!(parseJSON(payload) instanceof RObject)) throw new Error('not an object');
    } catch {
      builtinError(name, 'type is JWT but payload is not JSON');
    }
  }
  const alg = h instanceof RObject ? h.get('alg') : undefined;
  if (typeof alg !== 'string')
    return builtinError(name, `missing or invalid 'alg' header: jwsbb: header "alg" not found`);
  let jwk: Value;
  try {
    jwk = parseJSON(key);
  } catch {
    return builtinError(name, 'failed to parse the key');
  }
  if (!(jwk instanceof RObject)) return builtinError(name, 'key must be a JWK object');
  const k = signingKey(JSON.parse(toJSONText(jwk, false)) as Record<string, unknown>);
  const signed = `${Buffer.from(header).toString('base64url')}.${Buffer.from(payload).toString('base64url')}`;
  return `${signed}.${signWith(name, alg, k, signed).toString('base64url')}`;
}

function claimsValid(name: string, c: RObject, payload: Value, ctx: BuiltinContext): boolean {
  const p = payload instanceof RObject ? payload : new RObject();
  const nowV = c.get('time');
  const now = nowV !== undefined && isNumber(nowV) ? nowV : ctx.nowNs();
  const ns = (v: Value, claim: string): number | bigint => {
    if (!isNumber(v)) builtinError(name, `${claim} value must be a number`);
    return typeof v === 'bigint' ? v * 1_000_000_000n : v * 1e9;
  };
  const exp = p.get('exp');
  if (exp !== undefined && compareNumbers(now, ns(exp, 'exp')) >= 0) return false;
  const nbf = p.get('nbf');
  if (nbf !== undefined && compareNumbers(now, ns(nbf, 'nbf')) < 0) return false;
  const iss = c.get('iss');
  if (iss !== undefined && p.get('iss') !== iss) return false;
  const aud = c.get('aud');
  const tokenAud = p.get('aud');
  if (tokenAud !== undefined) {
    const list = Array.isArray(tokenAud) ? tokenAud : [tokenAud];
    if (aud === undefined || !list.includes(aud)) return false;
  } else if (aud !== undefined) return false;
  return true;
}

const KNOWN = new Set(['cert', 'secret', 'alg', 'iss', 'aud', 'time']);

function decodeVerify(name: string, token: string, c: RObject, ctx: BuiltinContext): Value {
  for (const k of c.keys())
    if (!KNOWN.has(String(k)))
      builtinError(name, `unknown token validation constraint: ${String(k)}`);
  const invalid: Value = [false, new RObject(), new RObject()];
  const all = layers(name, token);
  const cert = c.get('cert');
  const secret = c.get('secret');
  if (typeof cert !== 'string' && typeof secret !== 'string')
    return builtinError(name, 'either cert or secret must be provided');
  // Every layer of a nested token must carry a valid signature.
  let layerToken = token;
  for (const d of all) {
    const alg = d.header.get('alg');
    if (typeof alg !== 'string' || d.header.has('crit')) return invalid;
    const want = c.get('alg');
    if (want !== undefined && want !== alg) return invalid;
    let ok: boolean;
    if (alg.startsWith('HS'))
      ok =
        typeof secret === 'string' &&
        verifyWith(alg, Buffer.from(secret, 'utf8'), d.signed, d.signature);
    else ok = typeof cert === 'string' && verifyToken(name, alg, layerToken, cert);
    if (!ok) return invalid;
    layerToken = d.nested ?? layerToken;
  }
  const last = all[all.length - 1]!;
  if (!claimsValid(name, c, last.payload, ctx)) return invalid;
  return [true, last.header, last.payload];
}

const verifier = (alg: string) =>
  def(2, (a) =>
    verifyToken(
      `io.jwt.verify_${alg.toLowerCase()}`,
      alg,
      str(`io.jwt.verify_${alg.toLowerCase()}`, a, 0),
      str(`io.jwt.verify_${alg.toLowerCase()}`, a, 1),
    ),
  );

/** io.jwt.* builtins. */
export const jwtBuiltins: BuiltinTable = {
  'io.jwt.decode': def(1, (a) => {
    const d = decode('io.jwt.decode', str('io.jwt.decode', a, 0));
    return [d.header, d.payload, d.signature.toString('hex')];
  }),
  'io.jwt.decode_verify': def(2, (a, ctx) =>
    decodeVerify(
      'io.jwt.decode_verify',
      str('io.jwt.decode_verify', a, 0),
      obj('io.jwt.decode_verify', a, 1),
      ctx,
    ),
  ),
  'io.jwt.encode_sign_raw': def(3, (a) =>
    encodeRaw(
      'io.jwt.encode_sign_raw',
      str('io.jwt.encode_sign_raw', a, 0),
      str('io.jwt.encode_sign_raw', a, 1),
      str('io.jwt.encode_sign_raw', a, 2),
    ),
  ),
  'io.jwt.encode_sign': def(3, (a) =>
    encodeRaw(
      'io.jwt.encode_sign',
      toJSONText(obj('io.jwt.encode_sign', a, 0)),
      toJSONText(obj('io.jwt.encode_sign', a, 1)),
      toJSONText(obj('io.jwt.encode_sign', a, 2)),
    ),
  ),
  'io.jwt.verify_eddsa': def(2, (a) =>
    verifyToken(
      'io.jwt.verify_eddsa',
      'EdDSA',
      str('io.jwt.verify_eddsa', a, 0),
      str('io.jwt.verify_eddsa', a, 1),
    ),
  ),
  ...Object.fromEntries(
    ['HS', 'RS', 'PS', 'ES'].flatMap((f) =>
      ['256', '384', '512'].map((b) => [`io.jwt.verify_${f.toLowerCase()}${b}`, verifier(f + b)]),
    ),
  ),
};
