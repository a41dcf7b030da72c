import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { BundleError } from './errors.ts';
import { JWS_ALGORITHMS, keyFits, type JwsAlgorithm } from './jws.ts';

/** A public key the app trusts for policy bundles, under the id signers put in `kid`/`keyid`. */
export interface TrustedKey {
  keyId: string;
  algorithm: JwsAlgorithm;
  key: KeyObject;
}

/**
 * Reads a keys file shaped like OPA's `keys` configuration
 * (https://www.openpolicyagent.org/docs/configuration#keys):
 * `{"keys": {"<id>": {"algorithm": "ES256", "key": "-----BEGIN PUBLIC KEY-----…"}}}`.
 */
export async function readTrustedKeys(file: string): Promise<TrustedKey[]> {
  const text = await readFile(file, 'utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new BundleError(
      'untrusted_key',
      `keys file is not JSON (${(error as Error).message})`,
      file,
    );
  }
  return parseTrustedKeys(doc, file);
}

/** Validates a parsed keys document; only PEM public keys of the stated algorithm's family. */
export function parseTrustedKeys(doc: unknown, file = 'keys'): TrustedKey[] {
  const keys = (doc as { keys?: unknown } | null)?.keys;
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys))
    throw new BundleError('untrusted_key', 'expected {"keys": {"<id>": {algorithm, key}}}', file);
  return Object.entries(keys as Record<string, unknown>).map(([keyId, raw]) => {
    const bad = (why: string): never => {
      throw new BundleError('untrusted_key', `key ${keyId}: ${why}`, file);
    };
    const entry = raw as { algorithm?: unknown; key?: unknown } | null;
    const algorithm = entry?.algorithm as JwsAlgorithm;
    if (!JWS_ALGORITHMS.includes(algorithm))
      bad(`algorithm must be one of ${JWS_ALGORITHMS.join(', ')}`);
    // Private keys are refused: only public halves belong in the app's trust list.
    if (typeof entry?.key !== 'string' || !/-----BEGIN PUBLIC KEY-----/.test(entry.key))
      return bad('key must be a PEM public key');
    let key: KeyObject;
    try {
      key = createPublicKey(entry.key);
    } catch (error) {
      return bad(`key does not parse (${(error as Error).message})`);
    }
    if (!keyFits(key, algorithm))
      bad(`a ${key.asymmetricKeyType} key cannot be used for ${algorithm}`);
    return { keyId, algorithm, key };
  });
}
