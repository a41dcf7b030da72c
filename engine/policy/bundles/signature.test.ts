import { describe, expect, it } from 'vitest';
import { BundleError } from './errors.ts';
import { SIGNATURES_FILE, type BundleFiles } from './files.ts';
import { signBundle, verifyBundleSignature } from './signature.ts';
import { demoPackFiles, signedDemoPack, testSigner } from './testing/pack-fixture.ts';

const es = testSigner('ES256');
const rs = testSigner('RS256');
const ed = testSigner('EdDSA');
const trustedKeys = [es.trusted, rs.trusted, ed.trusted];

function refusal(files: BundleFiles, keys = trustedKeys, scope?: string): BundleError {
  try {
    verifyBundleSignature(files, { trustedKeys: keys, ...(scope === undefined ? {} : { scope }) });
  } catch (error) {
    if (error instanceof BundleError) return error;
    throw error;
  }
  throw new Error('bundle was accepted');
}

function tokenParts(files: BundleFiles): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
} {
  const token = (JSON.parse(files.get(SIGNATURES_FILE)!.toString()) as { signatures: string[] })
    .signatures[0]!;
  const [h, p] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h!, 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>,
  };
}

describe('bundle signatures (OPA .signatures.json)', () => {
  it.each([es, rs, ed])('accepts a bundle signed with $algorithm by a trusted key', (signer) => {
    expect(verifyBundleSignature(signedDemoPack(signer), { trustedKeys })).toBe(signer.keyId);
  });

  it('writes OPA payload shape: every member but the signature, SHA-256 hex, keyid and scope', () => {
    const files = signBundle(demoPackFiles(), {
      key: es.privateKey,
      algorithm: 'ES256',
      keyId: es.keyId,
      scope: 'write',
    });
    const { header, payload } = tokenParts(files);
    expect(header).toMatchObject({ alg: 'ES256', kid: es.keyId });
    expect(payload).toMatchObject({ keyid: es.keyId, scope: 'write' });
    const listed = payload['files'] as { name: string; hash: string; algorithm: string }[];
    expect(listed.map((f) => f.name)).toEqual(['.manifest', 'data.json', 'demo/coverage.rego']);
    expect(listed.every((f) => f.algorithm === 'SHA-256' && /^[0-9a-f]{64}$/.test(f.hash))).toBe(
      true,
    );
  });

  it('hashes JSON over its canonical form, so reformatting data.json keeps the signature', () => {
    const files = signedDemoPack(es);
    files.set('data.json', Buffer.from('{ "demo" : { "threshold" : 80 } }\n'));
    expect(verifyBundleSignature(files, { trustedKeys })).toBe(es.keyId);
  });

  it('refuses an unsigned bundle', () => {
    expect(refusal(demoPackFiles())).toMatchObject({ code: 'unsigned' });
  });

  it('refuses a key id that is not trusted', () => {
    expect(refusal(signedDemoPack(es), [rs.trusted]).message).toContain(
      `"${es.keyId}", which is not trusted`,
    );
  });

  it('refuses a signature made by another key under a trusted key id', () => {
    const impostor = testSigner('ES256', es.keyId);
    expect(refusal(signedDemoPack(impostor))).toMatchObject({
      code: 'bad_signature',
      file: SIGNATURES_FILE,
    });
  });

  it('refuses a token whose algorithm differs from the trusted key', () => {
    const files = signedDemoPack(es);
    expect(refusal(files, [{ ...ed.trusted, keyId: es.keyId }]).message).toContain(
      'does not match trusted key',
    );
  });

  it('names a modified file', () => {
    const files = signedDemoPack(es);
    files.set(
      'demo/coverage.rego',
      Buffer.from(files.get('demo/coverage.rego')!.toString().replace('<', '<=')),
    );
    expect(refusal(files)).toMatchObject({ code: 'modified_file', file: 'demo/coverage.rego' });
  });

  it('names a changed value in data.json', () => {
    const files = signedDemoPack(es);
    files.set('data.json', Buffer.from(JSON.stringify({ demo: { threshold: 0 } })));
    expect(refusal(files)).toMatchObject({ code: 'modified_file', file: 'data.json' });
  });

  it('names an extra file not covered by the signature', () => {
    const files = signedDemoPack(es);
    files.set('demo/allow_all.rego', Buffer.from('package demo.x\n\nallow := true\n'));
    expect(refusal(files)).toMatchObject({ code: 'extra_file', file: 'demo/allow_all.rego' });
  });

  it('names a signed file missing from the bundle', () => {
    const files = signedDemoPack(es);
    files.delete('data.json');
    expect(refusal(files)).toMatchObject({ code: 'missing_file', file: 'data.json' });
  });

  it('refuses a payload whose scope is not the required one', () => {
    expect(refusal(signedDemoPack(es), trustedKeys, 'write').message).toContain('scope');
  });

  it('refuses a signatures file with two tokens or a forged payload', () => {
    const files = signedDemoPack(es);
    const token = (JSON.parse(files.get(SIGNATURES_FILE)!.toString()) as { signatures: string[] })
      .signatures[0]!;
    files.set(SIGNATURES_FILE, Buffer.from(JSON.stringify({ signatures: [token, token] })));
    expect(refusal(files).message).toContain('one JWS');
    const [h, , s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ files: [], keyid: es.keyId })).toString(
      'base64url',
    );
    files.set(
      SIGNATURES_FILE,
      Buffer.from(JSON.stringify({ signatures: [`${h}.${forged}.${s}`] })),
    );
    expect(refusal(files)).toMatchObject({ code: 'bad_signature' });
  });
});
