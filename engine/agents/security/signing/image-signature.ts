/**
 * Container image signatures in cosign's format: the "simple signing" payload naming the image
 * by manifest digest, signed with the key pair. Verification checks the signature first, then
 * that the payload is a cosign signature for exactly the expected digest (and reference, when
 * given), so a valid signature over another image is refused.
 * https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md#simple-signing
 * https://github.com/containers/image/blob/main/docs/containers-signature.5.md
 */
import { signPayload, verifyPayload } from './signing-keys.ts';

export const SIMPLE_SIGNING_TYPE = 'cosign container image signature';
const DIGEST = /^sha256:[0-9a-f]{64}$/;

export interface ImageSignature {
  /** The exact payload bytes that were signed (cosign stores them as the layer blob). */
  payload: Buffer;
  /** base64 DER ECDSA signature (cosign's `dev.cosignproject.cosign/signature` annotation). */
  signature: string;
}

export interface SimpleSigningPayload {
  critical: {
    identity: { 'docker-reference': string };
    image: { 'docker-manifest-digest': string };
    type: string;
  };
  optional: Record<string, string> | null;
}

/** The payload bytes, fields in cosign's order so the bytes match what cosign writes. */
export function simpleSigningPayload(
  dockerReference: string,
  digest: string,
  optional: Record<string, string> | null = null,
): Buffer {
  if (!DIGEST.test(digest)) throw new Error(`not a sha256 manifest digest: ${digest}`);
  const payload: SimpleSigningPayload = {
    critical: {
      identity: { 'docker-reference': dockerReference },
      image: { 'docker-manifest-digest': digest },
      type: SIMPLE_SIGNING_TYPE,
    },
    optional,
  };
  return Buffer.from(JSON.stringify(payload), 'utf8');
}

export function signImage(
  privateKeyPem: string,
  image: { reference: string; digest: string; annotations?: Record<string, string> },
): ImageSignature {
  const payload = simpleSigningPayload(image.reference, image.digest, image.annotations ?? null);
  return { payload, signature: signPayload(privateKeyPem, payload) };
}

export type VerifyResult =
  { ok: true; payload: SimpleSigningPayload } | { ok: false; reason: string };

/** Verifies a signature for `expected.digest` (and `expected.reference`, when given). */
export function verifyImageSignature(
  publicKeyPem: string,
  signature: ImageSignature,
  expected: { digest: string; reference?: string },
): VerifyResult {
  if (!verifyPayload(publicKeyPem, signature.payload, signature.signature)) {
    return { ok: false, reason: 'the signature does not verify with this public key' };
  }
  let payload: SimpleSigningPayload;
  try {
    payload = JSON.parse(signature.payload.toString('utf8')) as SimpleSigningPayload;
  } catch {
    return { ok: false, reason: 'the signed payload is not JSON' };
  }
  if (payload.critical?.type !== SIMPLE_SIGNING_TYPE) {
    return { ok: false, reason: `the signed payload is not a ${SIMPLE_SIGNING_TYPE}` };
  }
  const digest = payload.critical.image?.['docker-manifest-digest'];
  if (digest !== expected.digest) {
    return { ok: false, reason: `the signature is for ${digest}, not ${expected.digest}` };
  }
  const reference = payload.critical.identity?.['docker-reference'];
  if (expected.reference !== undefined && reference !== expected.reference) {
    return { ok: false, reason: `the signature is for ${reference}, not ${expected.reference}` };
  }
  return { ok: true, payload };
}
