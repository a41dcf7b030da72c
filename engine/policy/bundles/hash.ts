import { createHash } from 'node:crypto';
import { BundleError } from './errors.ts';
import { MANIFEST_FILE } from './files.ts';
import { opaCanonicalJson } from './opa-json.ts';

/**
 * OPA hashes JSON members over a canonical form so re-serialising data.json does not break
 * the signature (https://www.openpolicyagent.org/docs/management-bundles#signature-format).
 * The form is OPA's own (opa-json.ts), so bundles signed by `opa sign` verify here. Every other
 * member is hashed over its raw bytes.
 */
export function isJsonMember(path: string): boolean {
  // OPA's IsStructuredDoc: by base name, data.json and .manifest (data.yaml is not accepted here).
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base === MANIFEST_FILE || base === 'data.json';
}

/** Hex SHA-256 of a member as it appears in the signature payload. */
export function hashMember(path: string, data: Buffer): string {
  const bytes = isJsonMember(path) ? Buffer.from(canonicalJson(path, data), 'utf8') : data;
  return createHash('sha256').update(bytes).digest('hex');
}

/** Parses a JSON member, refusing invalid JSON with the member named. */
export function parseJsonMember(path: string, data: Buffer): unknown {
  try {
    return JSON.parse(data.toString('utf8')) as unknown;
  } catch (error) {
    throw new BundleError('bad_data', `invalid JSON (${(error as Error).message})`, path);
  }
}

function canonicalJson(path: string, data: Buffer): string {
  try {
    return opaCanonicalJson(data.toString('utf8'));
  } catch (error) {
    throw new BundleError('bad_data', `invalid JSON (${(error as Error).message})`, path);
  }
}
