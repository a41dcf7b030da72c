/**
 * Signed policy packs in OPA bundle layout (issue 6). See README.md for the exact signature
 * format and what is refused.
 */
export { BundleError, type BundleErrorCode } from './errors.ts';
export {
  DEFAULT_BUNDLE_LIMITS,
  MANIFEST_FILE,
  SIGNATURES_FILE,
  type BundleFiles,
  type BundleLimits,
} from './files.ts';
export { readBundle } from './read-bundle.ts';
export { writeBundleTarGz } from './tar-writer.ts';
export { hashMember } from './hash.ts';
export { type JwsAlgorithm } from './jws.ts';
export { readTrustedKeys, parseTrustedKeys, type TrustedKey } from './trusted-keys.ts';
export {
  signBundle,
  verifyBundleSignature,
  type SignOptions,
  type VerifyOptions,
  type SignaturePayload,
} from './signature.ts';
export { readManifest, type PackManifest } from './manifest.ts';
export { loadPack, packDigest, type LoadedPack } from './load.ts';
export { importPack, type ImportPackOptions, type ImportPackResult } from './import-pack.ts';
export { getPack, listPacks, listActivePacks, type PackRecord } from './pack-store.ts';
export { loadStoredPack } from './stored-pack.ts';
export { activatePack, deactivatePack, type ActivationOptions } from './activation.ts';
