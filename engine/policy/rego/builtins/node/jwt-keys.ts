// Key material for JWT builtins: PEM certificates, PEM public keys, JWKs and JWK sets.
import { X509Certificate, createPrivateKey, createPublicKey, createSecretKey } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';

/** Parse verification keys from a PEM certificate/public key or a JWK (set) JSON string. */
export function publicKeys(material: string): KeyObject[] {
  const text = material.trim();
  if (text.startsWith('-----BEGIN CERTIFICATE-----')) {
    const blocks =
      text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
    if (text.replace(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g, '').trim())
      throw new Error('extra data after a PEM certificate block');
    return blocks.map((b) => {
      try {
        return new X509Certificate(b).publicKey;
      } catch {
        throw new Error('failed to parse a PEM certificate');
      }
    });
  }
  if (text.startsWith('-----BEGIN')) {
    try {
      return [createPublicKey(text)];
    } catch {
      throw new Error('failed to extract a Key from the PEM certificate');
    }
  }
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch {
    throw new Error('failed to parse a JWK key (set)');
  }
  const keys = (jwk as { keys?: unknown[] }).keys ?? [jwk];
  return keys.map((k) => {
    const j = k as { kty?: string; k?: string };
    if (j.kty === 'oct') return createSecretKey(Buffer.from(j.k ?? '', 'base64url'));
    try {
      return createPublicKey({ key: k as JsonWebKey, format: 'jwk' });
    } catch {
      throw new Error('failed to parse a JWK key (set)');
    }
  });
}

/** Parse a signing key from a JWK object (oct, RSA, EC, OKP). */
export function signingKey(jwk: Record<string, unknown>): KeyObject {
  if (jwk.kty === 'oct') return createSecretKey(Buffer.from(String(jwk.k ?? ''), 'base64url'));
  return createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
}
