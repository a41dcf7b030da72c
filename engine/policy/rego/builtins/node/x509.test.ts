import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { x509Builtins } from './x509.ts';
import { derChildren, derSubjectCN } from './der.ts';
import type { RObject } from '../../value.ts';

const ctx = { cache: new Map(), nowNs: () => 0n };

describe('DER helpers', () => {
  it('splits concatenated values and rejects non-requests', () => {
    const two = Buffer.from([0x30, 0x01, 0x05, 0x30, 0x00]);
    expect(derChildren(two).map((b) => [...b])).toEqual([
      [0x30, 0x01, 0x05],
      [0x30, 0x00],
    ]);
    expect(derSubjectCN(Buffer.from('badstring'))).toBeUndefined();
  });
});

describe('private keys', () => {
  it('returns RSA keys as JWKs and null for empty input', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const keys = x509Builtins['crypto.parse_private_keys']!.fn([pem], ctx) as RObject[];
    expect(keys).toHaveLength(1);
    expect(keys[0]!.get('kty')).toBe('RSA');
    expect(x509Builtins['crypto.parse_private_keys']!.fn([''], ctx)).toBeNull();
    expect(x509Builtins['crypto.parse_private_keys']!.fn(['nope'], ctx)).toEqual([]);
  });

  it('reports bad base64 like Go', () => {
    expect(() => x509Builtins['crypto.x509.parse_certificates']!.fn(['foobar'], ctx)).toThrow(
      /illegal base64 data at input byte 4/,
    );
  });
});
