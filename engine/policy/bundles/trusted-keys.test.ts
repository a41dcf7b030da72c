import { describe, expect, it } from 'vitest';
import { parseTrustedKeys } from './trusted-keys.ts';
import { testSigner } from './testing/pack-fixture.ts';

const es = testSigner('ES256');
const ed = testSigner('EdDSA');
const pem = (s: typeof es): string =>
  s.trusted.key.export({ type: 'spki', format: 'pem' }).toString();

describe('parseTrustedKeys (OPA keys configuration shape)', () => {
  it('reads public keys under their ids', () => {
    const keys = parseTrustedKeys({ keys: { ops: { algorithm: 'ES256', key: pem(es) } } });
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ keyId: 'ops', algorithm: 'ES256' });
    expect(keys[0]!.key.equals(es.trusted.key)).toBe(true);
  });

  it.each([
    [{ keys: [] }, 'expected {"keys"'],
    [{ keys: { ops: { algorithm: 'HS256', key: 'secret' } } }, 'key ops: algorithm must be one of'],
    [
      {
        keys: {
          ops: {
            algorithm: 'ES256',
            key: es.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
          },
        },
      },
      'must be a PEM public key',
    ],
    [
      { keys: { ops: { algorithm: 'ES256', key: pem(ed) } } },
      'a ed25519 key cannot be used for ES256',
    ],
    [
      {
        keys: {
          ops: {
            algorithm: 'RS256',
            key: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----',
          },
        },
      },
      'key does not parse',
    ],
  ])('refuses %j', (doc, message) => {
    expect(() => parseTrustedKeys(doc, 'keys.json')).toThrow(message);
  });
});
