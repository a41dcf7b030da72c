import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  randomBytes,
  scryptSync,
} from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { keyIdOf, publicKeyPem, type AuditKeyPair } from './keys.ts';

/**
 * Private keys on disk. Headless machines protect a key one of two ways (issue 4):
 *  - a passphrase: the PKCS#8 key is sealed with AES-256-GCM under a key derived by scrypt;
 *  - no passphrase: the PKCS#8 PEM sits in a file only its owner may read (mode 0600), and a
 *    file anyone else can read is refused, as ssh does.
 * The Electron app will add OS-keychain protection (safeStorage) as a third kind.
 */

const FORMAT = 'prodsprint-key/1';

/** scrypt cost (N); 2^15 takes ~0.1 s, which is once per process start. */
export const DEFAULT_SCRYPT_COST = 1 << 15;

interface SealedKey {
  kdf: 'scrypt';
  cost: number;
  blockSize: number;
  parallelization: number;
  salt: string;
  cipher: 'aes-256-gcm';
  iv: string;
  tag: string;
  ciphertext: string;
}

interface KeyFileJson {
  format: typeof FORMAT;
  keyId: string;
  publicKey: string;
  createdAt: string;
  protection: 'passphrase-scrypt' | 'file-mode-0600';
  sealed?: SealedKey;
  privateKey?: string;
}

export interface KeyProtection {
  /** Seal the key with this passphrase; without one the file itself must be private (0600). */
  passphrase?: string | undefined;
  /** scrypt N; tests lower it. */
  scryptCost?: number;
}

export class KeyFileError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'KeyFileError';
    this.file = file;
  }
}

/** Writes a key file atomically (temp file, then rename) with mode 0600. */
export function writeKeyFile(
  file: string,
  key: AuditKeyPair,
  protection: KeyProtection = {},
  now: Date = new Date(),
): void {
  const pkcs8 = key.privateKey.export({ format: 'der', type: 'pkcs8' });
  const json: KeyFileJson = {
    format: FORMAT,
    keyId: key.keyId,
    publicKey: publicKeyPem(key.publicKey),
    createdAt: now.toISOString(),
    protection: protection.passphrase ? 'passphrase-scrypt' : 'file-mode-0600',
  };
  if (protection.passphrase)
    json.sealed = seal(pkcs8, protection.passphrase, protection.scryptCost ?? DEFAULT_SCRYPT_COST);
  else json.privateKey = key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.tmp-${process.pid}`;
  writeFileSync(temp, `${JSON.stringify(json, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, file);
}

/** Reads a key file, refusing one that is readable by others or whose key does not match its id. */
export function readKeyFile(file: string, protection: KeyProtection = {}): AuditKeyPair {
  let json: KeyFileJson;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as KeyFileJson;
  } catch (error) {
    throw new KeyFileError(file, `cannot read key file (${(error as Error).message})`);
  }
  if (json.format !== FORMAT)
    throw new KeyFileError(file, `unknown key file format ${String(json.format)}`);
  let pkcs8: Buffer;
  if (json.protection === 'passphrase-scrypt' && json.sealed) {
    if (!protection.passphrase)
      throw new KeyFileError(file, 'key is sealed with a passphrase; none was given');
    pkcs8 = unseal(file, json.sealed, protection.passphrase);
  } else if (json.protection === 'file-mode-0600' && json.privateKey) {
    const mode = statSync(file).mode & 0o777;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new KeyFileError(
        file,
        `key file is readable by others (mode ${mode.toString(8)}); run chmod 600 on it`,
      );
    }
    pkcs8 = createPrivateKey(json.privateKey).export({ format: 'der', type: 'pkcs8' });
  } else {
    throw new KeyFileError(file, 'key file holds no usable private key');
  }
  const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new KeyFileError(file, 'key is not Ed25519');
  const keyId = keyIdOf(publicKey);
  if (keyId !== json.keyId)
    throw new KeyFileError(file, `private key does not match the key id ${json.keyId}`);
  return { keyId, publicKey, privateKey };
}

export function workstationKeyFile(keysDir: string): string {
  return join(keysDir, 'workstation.key.json');
}

export function keyFileExists(file: string): boolean {
  return existsSync(file);
}

function seal(plaintext: Buffer, passphrase: string, cost: number): SealedKey {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = deriveKey(passphrase, salt, cost, 8, 1);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return {
    kdf: 'scrypt',
    cost,
    blockSize: 8,
    parallelization: 1,
    salt: salt.toString('base64'),
    cipher: 'aes-256-gcm',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

function unseal(file: string, sealed: SealedKey, passphrase: string): Buffer {
  const key = deriveKey(
    passphrase,
    Buffer.from(sealed.salt, 'base64'),
    sealed.cost,
    sealed.blockSize,
    sealed.parallelization,
  );
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  try {
    return Buffer.concat([
      decipher.update(Buffer.from(sealed.ciphertext, 'base64')),
      decipher.final(),
    ]);
  } catch {
    throw new KeyFileError(file, 'wrong passphrase (or the key file was altered)');
  }
}

function deriveKey(
  passphrase: string,
  salt: Buffer,
  cost: number,
  blockSize: number,
  parallelization: number,
): Buffer {
  return scryptSync(passphrase.normalize('NFC'), salt, 32, {
    N: cost,
    r: blockSize,
    p: parallelization,
    maxmem: 256 * cost * blockSize + 1024 * 1024,
  });
}
