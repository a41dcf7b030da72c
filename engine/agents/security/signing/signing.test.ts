import { describe, expect, it } from 'vitest';
import { pae, signEnvelope, verifyEnvelope } from './dsse.ts';
import { signImage, simpleSigningPayload, verifyImageSignature } from './image-signature.ts';
import { attestSbom, verifySbomAttestation } from './sbom-attestation.ts';
import { generateSigningKeyPair, keyId, verifyPayload } from './signing-keys.ts';

const keys = generateSigningKeyPair();
const other = generateSigningKeyPair();
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const REFERENCE = '127.0.0.1:15000/shop/api';

function flipByte(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

/** The same PEM with one byte of the key's DER changed (inside the EC point). */
function tamperedPublicKey(pem: string): string {
  const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const der = flipByte(Buffer.from(body, 'base64'), 40);
  return `-----BEGIN PUBLIC KEY-----\n${der.toString('base64')}\n-----END PUBLIC KEY-----\n`;
}

describe('image signatures (cosign simple signing)', () => {
  it('writes the payload cosign writes', () => {
    expect(simpleSigningPayload(REFERENCE, DIGEST).toString()).toBe(
      `{"critical":{"identity":{"docker-reference":"${REFERENCE}"},"image":{"docker-manifest-digest":"${DIGEST}"},"type":"cosign container image signature"},"optional":null}`,
    );
    expect(() => simpleSigningPayload(REFERENCE, 'sha256:abc')).toThrow(/not a sha256/);
  });

  it('round-trips', () => {
    const signature = signImage(keys.privateKeyPem, {
      reference: REFERENCE,
      digest: DIGEST,
      annotations: { run: 'r1' },
    });
    const result = verifyImageSignature(keys.publicKeyPem, signature, {
      digest: DIGEST,
      reference: REFERENCE,
    });
    expect(result).toMatchObject({ ok: true, payload: { optional: { run: 'r1' } } });
  });

  it('rejects a one-byte change to the payload, at any position', () => {
    const signature = signImage(keys.privateKeyPem, { reference: REFERENCE, digest: DIGEST });
    for (const at of [0, 20, signature.payload.length - 1]) {
      const tampered = { ...signature, payload: flipByte(signature.payload, at) };
      expect(verifyImageSignature(keys.publicKeyPem, tampered, { digest: DIGEST }).ok).toBe(false);
    }
  });

  it('rejects a one-byte change to the digest or reference it is checked against', () => {
    const signature = signImage(keys.privateKeyPem, { reference: REFERENCE, digest: DIGEST });
    const otherDigest = `${DIGEST.slice(0, -1)}c`;
    expect(verifyImageSignature(keys.publicKeyPem, signature, { digest: otherDigest })).toEqual({
      ok: false,
      reason: `the signature is for ${DIGEST}, not ${otherDigest}`,
    });
    expect(
      verifyImageSignature(keys.publicKeyPem, signature, {
        digest: DIGEST,
        reference: `${REFERENCE}x`,
      }).ok,
    ).toBe(false);
  });

  it('rejects another key, a one-byte change to the key, and a changed signature', () => {
    const signature = signImage(keys.privateKeyPem, { reference: REFERENCE, digest: DIGEST });
    expect(verifyImageSignature(other.publicKeyPem, signature, { digest: DIGEST }).ok).toBe(false);
    expect(
      verifyImageSignature(tamperedPublicKey(keys.publicKeyPem), signature, { digest: DIGEST }).ok,
    ).toBe(false);
    const sig = flipByte(Buffer.from(signature.signature, 'base64'), 10).toString('base64');
    expect(
      verifyImageSignature(keys.publicKeyPem, { ...signature, signature: sig }, { digest: DIGEST })
        .ok,
    ).toBe(false);
    expect(verifyPayload(keys.publicKeyPem, signature.payload, 'not base64 !!')).toBe(false);
  });
});

describe('DSSE and in-toto SBOM attestations', () => {
  it('encodes PAE as the DSSE spec example does', () => {
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
  });

  it('binds the payload type: the same bytes under another type do not verify', () => {
    const envelope = signEnvelope(
      keys.privateKeyPem,
      'application/vnd.in-toto+json',
      Buffer.from('{}'),
    );
    expect(verifyEnvelope(keys.publicKeyPem, envelope)?.toString()).toBe('{}');
    expect(
      verifyEnvelope(keys.publicKeyPem, { ...envelope, payloadType: 'text/plain' }),
    ).toBeUndefined();
  });

  const sbom = { bomFormat: 'CycloneDX', specVersion: '1.6', components: [] };

  it('round-trips an SBOM attestation for the image digest', () => {
    const envelope = attestSbom(
      keys.privateKeyPem,
      keys.publicKeyPem,
      { name: REFERENCE, digest: DIGEST },
      sbom,
    );
    expect(envelope.signatures[0]!.keyid).toBe(keyId(keys.publicKeyPem));
    const result = verifySbomAttestation(keys.publicKeyPem, envelope, DIGEST);
    expect(result).toMatchObject({
      ok: true,
      statement: {
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name: REFERENCE, digest: { sha256: 'ab'.repeat(32) } }],
        predicateType: 'https://cyclonedx.org/bom',
        predicate: sbom,
      },
    });
  });

  it('rejects a one-byte change to the statement, the digest or the key', () => {
    const envelope = attestSbom(
      keys.privateKeyPem,
      keys.publicKeyPem,
      { name: REFERENCE, digest: DIGEST },
      sbom,
    );
    const payload = flipByte(Buffer.from(envelope.payload, 'base64'), 30).toString('base64');
    expect(verifySbomAttestation(keys.publicKeyPem, { ...envelope, payload }, DIGEST).ok).toBe(
      false,
    );
    expect(verifySbomAttestation(keys.publicKeyPem, envelope, `${DIGEST.slice(0, -1)}c`).ok).toBe(
      false,
    );
    expect(verifySbomAttestation(other.publicKeyPem, envelope, DIGEST).ok).toBe(false);
    expect(verifySbomAttestation(tamperedPublicKey(keys.publicKeyPem), envelope, DIGEST).ok).toBe(
      false,
    );
  });
});
