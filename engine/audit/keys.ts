import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

/** An Ed25519 key pair with its id. The id is the key's fingerprint, so it cannot lie about the key. */
export interface AuditKeyPair {
  keyId: string;
  publicKey: KeyObject;
  privateKey: KeyObject;
}

/** A public key as it is shared: SPKI PEM and its id. */
export interface PublicAuditKey {
  keyId: string;
  publicKeyPem: string;
}

/**
 * Key id = SHA-256 of the DER SubjectPublicKeyInfo, in hex: exactly what
 * `openssl pkey -pubin -in key.pem -outform DER | sha256sum` prints.
 */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('hex');
}

export function generateAuditKey(): AuditKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { keyId: keyIdOf(publicKey), publicKey, privateKey };
}

export function publicKeyPem(key: KeyObject): string {
  return key.export({ format: 'pem', type: 'spki' }).toString();
}

export function toPublicAuditKey(key: AuditKeyPair): PublicAuditKey {
  return { keyId: key.keyId, publicKeyPem: publicKeyPem(key.publicKey) };
}

/** Parses an SPKI PEM and refuses anything that is not Ed25519. */
export function parsePublicKeyPem(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`expected an Ed25519 public key, got ${key.asymmetricKeyType ?? 'unknown'}`);
  return key;
}

/** Ed25519 signature (RFC 8032, no pre-hash) of `message`, base64. */
export function signMessage(privateKey: KeyObject, message: Uint8Array): string {
  return sign(null, message, privateKey).toString('base64');
}

export function verifyMessage(
  publicKey: KeyObject,
  message: Uint8Array,
  signatureBase64: string,
): boolean {
  const signature = Buffer.from(signatureBase64, 'base64');
  // Buffer.from ignores bad base64 characters; insist on the exact canonical encoding.
  if (signature.length !== 64 || signature.toString('base64') !== signatureBase64) return false;
  return verify(null, message, publicKey, signature);
}
