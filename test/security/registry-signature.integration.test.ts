/**
 * Issue 8 acceptance: with a local Distribution registry, an image signature is pushed the way
 * cosign stores it (`sha256-<digest>.sig`) and found again by digest, and it verifies only for
 * that digest and key. Skips, saying why, when docker-registry is not installed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  signImage,
  verifyImageSignature,
} from '../../engine/agents/security/signing/image-signature.ts';
import {
  OCI_MANIFEST,
  pushBlob,
  putManifest,
  resolveDigest,
} from '../../engine/agents/security/signing/oci-client.ts';
import type { Repository } from '../../engine/agents/security/signing/oci-client.ts';
import {
  findAttestations,
  findSignatures,
  pushAttestation,
  pushSignature,
  signatureTag,
} from '../../engine/agents/security/signing/registry-signatures.ts';
import {
  attestSbom,
  CYCLONEDX_PREDICATE,
  verifySbomAttestation,
} from '../../engine/agents/security/signing/sbom-attestation.ts';
import {
  generateSigningKeyPair,
  keyId,
} from '../../engine/agents/security/signing/signing-keys.ts';
import { verifyImageForDeploy } from '../../engine/agents/security/signing/verify-image.ts';
import { registryUnavailable, startRegistry } from './registry-server.ts';
import type { RegistryServer } from './registry-server.ts';

const unavailable = registryUnavailable();

/** Pushes a one-layer image and returns its manifest digest as the registry reports it. */
async function pushImage(repo: Repository, tag: string, content: string): Promise<string> {
  const layer = await pushBlob(
    repo,
    'application/vnd.oci.image.layer.v1.tar',
    Buffer.from(content),
  );
  const config = await pushBlob(
    repo,
    'application/vnd.oci.image.config.v1+json',
    Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        rootfs: { type: 'layers', diff_ids: [layer.digest] },
      }),
    ),
  );
  await putManifest(repo, tag, {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config,
    layers: [layer],
  });
  return resolveDigest(repo, tag);
}

describe('signatures in an OCI registry', () => {
  if (unavailable) {
    it.skip(`skipped: ${unavailable}`, () => {});
    return;
  }
  let server: RegistryServer;
  let repo: Repository;
  beforeAll(async () => {
    server = await startRegistry();
    repo = { registry: server.url, name: 'shop/api' };
  });
  afterAll(() => server?.stop());

  it('pushes a signature under sha256-<digest>.sig and finds it again by digest', async () => {
    const digest = await pushImage(repo, 'v1', 'layer one');
    const keys = generateSigningKeyPair();
    const reference = `${new URL(server.url).host}/shop/api`;
    await pushSignature(repo, digest, signImage(keys.privateKeyPem, { reference, digest }));

    const tagDigest = await resolveDigest(repo, signatureTag(digest));
    expect(tagDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const found = await findSignatures(repo, digest);
    expect(found).toHaveLength(1);
    expect(verifyImageSignature(keys.publicKeyPem, found[0]!, { digest, reference })).toMatchObject(
      { ok: true },
    );
  });

  it('keeps earlier signatures when another key signs, and each verifies only with its key', async () => {
    const digest = await pushImage(repo, 'v2', 'layer two');
    const release = generateSigningKeyPair();
    const security = generateSigningKeyPair();
    const reference = 'registry.internal/shop/api';
    await pushSignature(repo, digest, signImage(release.privateKeyPem, { reference, digest }));
    await pushSignature(repo, digest, signImage(security.privateKeyPem, { reference, digest }));
    const found = await findSignatures(repo, digest);
    expect(found).toHaveLength(2);
    const verifiedBy = (publicKeyPem: string) =>
      found.filter((signature) => verifyImageSignature(publicKeyPem, signature, { digest }).ok)
        .length;
    expect(verifiedBy(release.publicKeyPem)).toBe(1);
    expect(verifiedBy(security.publicKeyPem)).toBe(1);
  });

  it('finds nothing for an unsigned digest, and a signature does not carry over to another image', async () => {
    const signed = await pushImage(repo, 'v3', 'layer three');
    const unsigned = await pushImage(repo, 'v4', 'layer four');
    const keys = generateSigningKeyPair();
    await pushSignature(
      repo,
      signed,
      signImage(keys.privateKeyPem, { reference: 'r/shop/api', digest: signed }),
    );
    expect(await findSignatures(repo, unsigned)).toEqual([]);
    const [signature] = await findSignatures(repo, signed);
    expect(verifyImageSignature(keys.publicKeyPem, signature!, { digest: unsigned }).ok).toBe(
      false,
    );
  });

  it('verifies before deploy: passes a trusted signature, blocks unsigned, untrusted and unreachable', async () => {
    const trusted = generateSigningKeyPair();
    const stranger = generateSigningKeyPair();
    const signed = await pushImage(repo, 'v5', 'layer five');
    const strangerSigned = await pushImage(repo, 'v6', 'layer six');
    const unsigned = await pushImage(repo, 'v7', 'layer seven');
    const reference = 'registry.internal/shop/api';
    await pushSignature(
      repo,
      signed,
      signImage(trusted.privateKeyPem, { reference, digest: signed }),
    );
    await pushSignature(
      repo,
      strangerSigned,
      signImage(stranger.privateKeyPem, { reference, digest: strangerSigned }),
    );

    expect(await verifyImageForDeploy(repo, signed, [trusted.publicKeyPem], reference)).toEqual({
      ok: true,
      signerKeyId: keyId(trusted.publicKeyPem),
      signatures: 1,
    });
    expect(await verifyImageForDeploy(repo, unsigned, [trusted.publicKeyPem])).toMatchObject({
      ok: false,
      reason: expect.stringContaining('has no signature'),
    });
    expect(await verifyImageForDeploy(repo, strangerSigned, [trusted.publicKeyPem])).toMatchObject({
      ok: false,
      reason: expect.stringContaining('verifies with a trusted key'),
    });
    expect(await verifyImageForDeploy(repo, signed, [])).toMatchObject({ ok: false });
    const closed = { registry: 'http://127.0.0.1:9', name: 'shop/api' };
    expect(await verifyImageForDeploy(closed, signed, [trusted.publicKeyPem])).toMatchObject({
      ok: false,
      reason: expect.stringContaining('could not be read'),
    });
  });

  it('pushes an SBOM attestation under sha256-<digest>.att and verifies it after fetching', async () => {
    const digest = await pushImage(repo, 'v8', 'layer eight');
    const keys = generateSigningKeyPair();
    const sbom = { bomFormat: 'CycloneDX', specVersion: '1.6', components: [] };
    const envelope = attestSbom(
      keys.privateKeyPem,
      keys.publicKeyPem,
      { name: 'shop/api', digest },
      sbom,
    );
    await pushAttestation(repo, digest, envelope, CYCLONEDX_PREDICATE);
    const [found, ...rest] = await findAttestations(repo, digest);
    expect(rest).toEqual([]);
    expect(verifySbomAttestation(keys.publicKeyPem, found!, digest)).toMatchObject({
      ok: true,
      statement: { predicate: sbom },
    });
    expect(await findAttestations(repo, await pushImage(repo, 'v9', 'layer nine'))).toEqual([]);
  });
});
