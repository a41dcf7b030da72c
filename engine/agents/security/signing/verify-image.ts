/**
 * Verify before deploy: an image may be released only if the registry holds a signature for
 * its exact digest that verifies with one of the trusted keys. No signature, no trusted
 * signer, or an unreachable registry all block with a reason (fail closed, invariant 5).
 */
import { verifyImageSignature } from './image-signature.ts';
import type { Repository } from './oci-client.ts';
import { findSignatures } from './registry-signatures.ts';
import { keyId } from './signing-keys.ts';

export type DeployVerification =
  | { ok: true; signerKeyId: string; signatures: number }
  | { ok: false; reason: string; remediation: string };

export async function verifyImageForDeploy(
  repo: Repository,
  digest: string,
  trustedPublicKeys: string[],
  reference?: string,
): Promise<DeployVerification> {
  if (trustedPublicKeys.length === 0) {
    return {
      ok: false,
      reason: 'no trusted signing key is configured',
      remediation: 'add the release signing public key to the project before deploying',
    };
  }
  let signatures;
  try {
    signatures = await findSignatures(repo, digest);
  } catch (error) {
    return {
      ok: false,
      reason: `signatures for ${digest} could not be read from ${repo.registry}: ${(error as Error).message}`,
      remediation: 'check that the registry is reachable and the repository name is right',
    };
  }
  if (signatures.length === 0) {
    return {
      ok: false,
      reason: `${repo.name}@${digest} has no signature in ${repo.registry}`,
      remediation: 'sign the image (security stage) before deploying it',
    };
  }
  for (const publicKeyPem of trustedPublicKeys) {
    for (const signature of signatures) {
      const expected = reference === undefined ? { digest } : { digest, reference };
      if (verifyImageSignature(publicKeyPem, signature, expected).ok) {
        return { ok: true, signerKeyId: keyId(publicKeyPem), signatures: signatures.length };
      }
    }
  }
  return {
    ok: false,
    reason: `none of the ${signatures.length} signature(s) on ${repo.name}@${digest} verifies with a trusted key`,
    remediation: 'sign the image with a trusted key, or review who signed it',
  };
}
