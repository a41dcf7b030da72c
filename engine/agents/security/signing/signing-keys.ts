/**
 * ECDSA P-256 key pairs and raw signatures as cosign makes them with a key pair: SHA-256 over
 * the payload, ASN.1 DER signature, base64 in transport; public keys as PEM SPKI (the format of
 * `cosign.pub`). The private key is PKCS#8 PEM for the engine's encrypted secret store; cosign's
 * own scrypt-encrypted key file format is not produced here.
 * https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export interface SigningKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

export function generateSigningKeyPair(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Signs `payload` with ECDSA P-256 / SHA-256; returns the DER signature in base64. */
export function signPayload(privateKeyPem: string, payload: Uint8Array): string {
  const key = createPrivateKey(privateKeyPem);
  requireP256(key);
  return sign('sha256', payload, { key, dsaEncoding: 'der' }).toString('base64');
}

/** True when `signatureB64` is a valid signature of `payload` by the key; false otherwise. */
export function verifyPayload(
  publicKeyPem: string,
  payload: Uint8Array,
  signatureB64: string,
): boolean {
  const signature = Buffer.from(signatureB64, 'base64');
  // Buffer.from ignores invalid base64; a signature that does not round-trip is not one.
  if (signature.toString('base64') !== signatureB64.replace(/\s+/g, '')) return false;
  try {
    // An unreadable or non-P-256 key verifies nothing; verification never throws.
    const key = createPublicKey(publicKeyPem);
    requireP256(key);
    return verify('sha256', payload, { key, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}

/** A stable key id: SHA-256 of the DER SPKI, hex (what `keyid` fields carry). */
export function keyId(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

function requireP256(key: KeyObject): void {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('signing keys must be ECDSA P-256 (cosign key pairs are)');
  }
}
