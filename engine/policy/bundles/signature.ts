import type { KeyObject } from 'node:crypto';
import { BundleError } from './errors.ts';
import { SIGNATURES_FILE, type BundleFiles } from './files.ts';
import { hashMember } from './hash.ts';
import { decodeJws, keyFits, signJws, verifyJws, type JwsAlgorithm } from './jws.ts';
import type { TrustedKey } from './trusted-keys.ts';

/**
 * OPA bundle signatures (https://www.openpolicyagent.org/docs/management-bundles#signing):
 * `.signatures.json` is `{"signatures": ["<JWS>"]}` with exactly one JWS whose payload is
 * `{"files": [{"name", "hash", "algorithm": "SHA-256"}], "keyid"?, "scope"?}`. Every member
 * except `.signatures.json` must be listed, and every listed file must be present.
 */
export interface SignedFile {
  name: string;
  hash: string;
  algorithm: 'SHA-256';
}

export interface SignaturePayload {
  files: SignedFile[];
  keyid?: string;
  scope?: string;
}

export interface SignOptions {
  key: KeyObject;
  algorithm: JwsAlgorithm;
  keyId: string;
  scope?: string;
}

/** Returns the bundle with `.signatures.json` (re)written over every other member. */
export function signBundle(files: BundleFiles, options: SignOptions): BundleFiles {
  const names = [...files.keys()].filter((n) => n !== SIGNATURES_FILE).sort();
  const payload: SignaturePayload = {
    files: names.map((name) => ({
      name,
      hash: hashMember(name, files.get(name)!),
      algorithm: 'SHA-256',
    })),
    keyid: options.keyId,
    ...(options.scope === undefined ? {} : { scope: options.scope }),
  };
  const token = signJws(payload, options.key, options.algorithm, options.keyId);
  const out: BundleFiles = new Map(names.map((n) => [n, files.get(n)!]));
  out.set(SIGNATURES_FILE, Buffer.from(`${JSON.stringify({ signatures: [token] }, null, 2)}\n`));
  return out;
}

export interface VerifyOptions {
  trustedKeys: TrustedKey[];
  /** When set, the payload's scope must equal it (OPA's `scope` verification option). */
  scope?: string;
}

/** Verifies the bundle's signature; returns the key id that signed it or throws BundleError. */
export function verifyBundleSignature(files: BundleFiles, options: VerifyOptions): string {
  const raw = files.get(SIGNATURES_FILE);
  if (!raw) throw new BundleError('unsigned', 'bundle is not signed (no .signatures.json)');
  const token = singleToken(raw);
  const jws = decodeJws(token);
  if (!jws)
    throw new BundleError('bad_signature', 'signature is not a compact JWS', SIGNATURES_FILE);
  const payload = jws.payload as SignaturePayload;
  const keyId = jws.header.kid ?? payload.keyid;
  if (jws.header.kid && payload.keyid && jws.header.kid !== payload.keyid)
    throw new BundleError('bad_signature', 'header kid and payload keyid differ', SIGNATURES_FILE);
  const trusted = options.trustedKeys.find((k) => k.keyId === keyId);
  if (!trusted)
    throw new BundleError(
      'untrusted_key',
      `signed with key "${keyId ?? '(none)'}", which is not trusted`,
      SIGNATURES_FILE,
    );
  if (jws.header.alg !== trusted.algorithm)
    throw new BundleError(
      'bad_signature',
      `algorithm ${jws.header.alg} does not match trusted key ${keyId} (${trusted.algorithm})`,
      SIGNATURES_FILE,
    );
  if (!keyFits(trusted.key, trusted.algorithm))
    throw new BundleError(
      'untrusted_key',
      `trusted key ${keyId} is not a ${trusted.algorithm} key`,
    );
  if (!verifyJws(jws.input, jws.signature, trusted.key, trusted.algorithm))
    throw new BundleError(
      'bad_signature',
      `signature does not verify with trusted key ${keyId}`,
      SIGNATURES_FILE,
    );
  if (options.scope !== undefined && payload.scope !== options.scope)
    throw new BundleError(
      'bad_signature',
      `scope "${payload.scope ?? ''}" is not "${options.scope}"`,
      SIGNATURES_FILE,
    );
  checkFiles(files, payload);
  return trusted.keyId;
}

function singleToken(raw: Buffer): string {
  let doc: unknown;
  try {
    doc = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new BundleError('bad_signature', 'not valid JSON', SIGNATURES_FILE);
  }
  const list = (doc as { signatures?: unknown } | null)?.signatures;
  if (!Array.isArray(list) || list.length !== 1 || typeof list[0] !== 'string')
    throw new BundleError('bad_signature', 'expected {"signatures": [one JWS]}', SIGNATURES_FILE);
  return list[0];
}

function checkFiles(files: BundleFiles, payload: SignaturePayload): void {
  if (!Array.isArray(payload.files))
    throw new BundleError('bad_signature', 'payload has no files list', SIGNATURES_FILE);
  const signed = new Map<string, SignedFile>();
  for (const entry of payload.files) {
    if (
      typeof entry?.name !== 'string' ||
      typeof entry.hash !== 'string' ||
      entry.algorithm !== 'SHA-256'
    )
      throw new BundleError(
        'bad_signature',
        'payload file entries need name, hash and algorithm SHA-256',
        SIGNATURES_FILE,
      );
    signed.set(entry.name.replace(/^\//, ''), entry);
  }
  for (const [name, data] of files) {
    if (name === SIGNATURES_FILE) continue;
    const entry = signed.get(name);
    if (!entry) throw new BundleError('extra_file', 'file is not covered by the signature', name);
    if (hashMember(name, data) !== entry.hash.toLowerCase())
      throw new BundleError(
        'modified_file',
        'file content does not match its signed SHA-256',
        name,
      );
  }
  for (const name of signed.keys())
    if (!files.has(name))
      throw new BundleError('missing_file', 'signed file is missing from the bundle', name);
}
