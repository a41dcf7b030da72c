import { describe, expect, it } from 'vitest';
import { nodeBuiltins } from './index.ts';

const b = nodeBuiltins();
const ctx = { cache: new Map(), nowNs: () => 0n };

describe('node crypto builtins', () => {
  it('hashes and HMACs UTF-8 strings as hex', () => {
    expect(b.get('crypto.sha256')!.fn(['abc'], ctx)).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(b.get('crypto.md5')!.fn([''], ctx)).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(b.get('crypto.hmac.sha256')!.fn(['msg', 'key'], ctx)).toBe(
      '2d93cbc1be167bcb1637a4a23cbff01a7878f0c50ee833954ea5221bb1b8c628',
    );
  });
});

describe('node JWT builtins', () => {
  const jwk =
    '{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}';

  it('signs HS256 tokens that verify and decode', () => {
    const token = b
      .get('io.jwt.encode_sign_raw')!
      .fn(['{"alg":"HS256","typ":"JWT"}', '{}', jwk], ctx) as string;
    expect(token).toBe(
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.6cvao8lnOu6FAdK68jQFcDMXOmaWNwWiYhCgijd-AD8',
    );
    const decoded = b.get('io.jwt.decode')!.fn([token], ctx) as unknown[];
    expect(decoded).toHaveLength(3);
  });

  it('rejects a token signed with another secret', () => {
    const token =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VyIjoiYWxpY2UiLCJhenAiOiJhbGljZSIsInN1Ym9yZGluYXRlcyI6W10sImhyIjpmYWxzZX0.rz3jTY033z-NrKfwrK89_dcLF7TN4gwCMj-fVBDyLoM';
    expect(b.get('io.jwt.verify_hs256')!.fn([token, 'secret'], ctx)).toBe(true);
    expect(b.get('io.jwt.verify_hs256')!.fn([token, 'other'], ctx)).toBe(false);
  });

  it('reports malformed tokens like Go does', () => {
    expect(() => b.get('io.jwt.decode')!.fn(['abc'], ctx)).toThrow(
      /encoded JWT had no period separators/,
    );
  });
});

describe('providers.aws.sign_req', () => {
  it('signs with SigV4 over the method as written and the raw path', async () => {
    const { RObject } = await import('../../value.ts');
    const req = RObject.of([
      ['method', 'get'],
      ['url', 'http://example.com'],
    ]);
    const cfg = RObject.of([
      ['aws_access_key', 'MYAWSACCESSKEYGOESHERE'],
      ['aws_secret_access_key', 'MYAWSSECRETACCESSKEYGOESHERE'],
      ['aws_service', 's3'],
      ['aws_region', 'us-east-1'],
    ]);
    const out = b
      .get('providers.aws.sign_req')!
      .fn([req, cfg, 1451311705000000000n], ctx) as InstanceType<typeof RObject>;
    const auth = (out.get('headers') as InstanceType<typeof RObject>).get('Authorization');
    expect(auth).toBe(
      'AWS4-HMAC-SHA256 Credential=MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request,SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature=0047a7016c81e5c7f29cd522f97e911e04fc472fced0aee7916cbc287ad6c8e3',
    );
  });
});
