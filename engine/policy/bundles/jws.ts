import { sign, verify, type KeyObject } from 'node:crypto';

/**
 * Compact JWS (RFC 7515) with the algorithms OPA accepts for bundle signatures that node:crypto
 * can do without extra packages. ES256 signatures are raw r||s (RFC 7518 §3.4), not DER.
 */
export type JwsAlgorithm = 'RS256' | 'ES256' | 'EdDSA';
export const JWS_ALGORITHMS: readonly JwsAlgorithm[] = ['RS256', 'ES256', 'EdDSA'];

export interface JwsHeader {
  alg: string;
  kid?: string;
  typ?: string;
}

const b64 = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** Signs payload (a JSON value) as a compact JWS. */
export function signJws(payload: unknown, key: KeyObject, alg: JwsAlgorithm, kid?: string): string {
  assertKeyFits(key, alg);
  const header: JwsHeader = kid ? { alg, kid, typ: 'JWT' } : { alg, typ: 'JWT' };
  const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`;
  return `${input}.${b64(rawSign(input, key, alg))}`;
}

/** Splits a compact JWS and decodes header and payload; null when it is not one. */
export function decodeJws(
  token: string,
): { header: JwsHeader; payload: unknown; input: string; signature: Buffer } | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => /^[A-Za-z0-9_-]*$/.test(p))) return null;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as unknown;
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    if (
      typeof header !== 'object' ||
      header === null ||
      typeof (header as JwsHeader).alg !== 'string'
    )
      return null;
    return {
      header: header as JwsHeader,
      payload,
      input: `${parts[0]}.${parts[1]}`,
      signature: Buffer.from(parts[2]!, 'base64url'),
    };
  } catch {
    return null;
  }
}

/** True when signature over input verifies with key under alg (the trusted key's algorithm). */
export function verifyJws(
  input: string,
  signature: Buffer,
  key: KeyObject,
  alg: JwsAlgorithm,
): boolean {
  assertKeyFits(key, alg);
  const data = Buffer.from(input, 'ascii');
  if (alg === 'EdDSA') return verify(null, data, key, signature);
  if (alg === 'ES256') return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
  return verify('sha256', data, key, signature);
}

function rawSign(input: string, key: KeyObject, alg: JwsAlgorithm): Buffer {
  const data = Buffer.from(input, 'ascii');
  if (alg === 'EdDSA') return sign(null, data, key);
  if (alg === 'ES256') return sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
  return sign('sha256', data, key);
}

/** True when key is of the family alg needs (RSA, P-256, Ed25519). */
export function keyFits(key: KeyObject, alg: JwsAlgorithm): boolean {
  const type = key.asymmetricKeyType;
  return (
    (alg === 'RS256' && type === 'rsa') ||
    (alg === 'EdDSA' && type === 'ed25519') ||
    (alg === 'ES256' && type === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1')
  );
}

/** Refuses a key of the wrong family, so a token cannot pick a weaker reading of a key. */
function assertKeyFits(key: KeyObject, alg: JwsAlgorithm): void {
  if (!keyFits(key, alg))
    throw new Error(`a ${key.asymmetricKeyType ?? 'symmetric'} key cannot be used for ${alg}`);
}
