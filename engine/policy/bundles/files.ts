import { BundleError } from './errors.ts';

/** A bundle's members: path relative to the bundle root (forward slashes) → bytes. */
export type BundleFiles = Map<string, Buffer>;

/** Limits applied while reading, before anything is parsed or hashed. */
export interface BundleLimits {
  maxFiles: number;
  maxFileBytes: number;
  maxTotalBytes: number;
}

/** Policy packs are text; these are generous for Rego yet stop a bomb early. */
export const DEFAULT_BUNDLE_LIMITS: BundleLimits = {
  maxFiles: 1000,
  maxFileBytes: 8 * 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
};

/** OPA's reserved name for the signature file (https://www.openpolicyagent.org/docs/management-bundles#signing). */
export const SIGNATURES_FILE = '.signatures.json';
export const MANIFEST_FILE = '.manifest';

// Segments: no empty, `.` or `..`, no backslash or NUL; a leading dot is allowed for
// `.manifest` / `.signatures.json`, which OPA places at the root.
const SEGMENT = /^(?!\.{1,2}$)[A-Za-z0-9._@+-]+$/;

/**
 * Normalises a member name (one leading `/` or `./` is dropped: `opa build` writes `/data.json`,
 * `tar -C dir .` writes `./data.json`) and refuses anything that could leave the pack directory.
 */
export function safeMemberPath(raw: string): string {
  const path = raw.replace(/^\.?\//, '');
  const segments = path.split('/');
  if (path.length === 0 || path.length > 255 || !segments.every((s) => SEGMENT.test(s)))
    throw new BundleError(
      'unsafe_path',
      'unsafe path (absolute, parent, empty or odd characters)',
      raw,
    );
  return path;
}

/** Accounts for one more member against the limits; throws `too_large` naming the file. */
export function checkLimits(
  files: BundleFiles,
  path: string,
  size: number,
  total: number,
  limits: BundleLimits,
): void {
  if (files.size >= limits.maxFiles)
    throw new BundleError('too_large', `bundle holds more than ${limits.maxFiles} files`, path);
  if (size > limits.maxFileBytes)
    throw new BundleError('too_large', `file is larger than ${limits.maxFileBytes} bytes`, path);
  if (total + size > limits.maxTotalBytes)
    throw new BundleError('too_large', `bundle is larger than ${limits.maxTotalBytes} bytes`, path);
}
