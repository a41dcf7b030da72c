/**
 * Stores and finds image signatures and attestations in an OCI registry the way cosign does:
 * for `repo@sha256:<hex>`, signatures live in the same repository under the tag
 * `sha256-<hex>.sig` (layers are simple-signing payloads carrying their base64 signature in
 * the `dev.cosignproject.cosign/signature` annotation) and attestations under
 * `sha256-<hex>.att` (layers are DSSE envelopes). Signing again appends a layer.
 * https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md#storage
 */
import type { DsseEnvelope } from './dsse.ts';
import type { ImageSignature } from './image-signature.ts';
import { getBlob, getManifest, OCI_MANIFEST, pushBlob, putManifest } from './oci-client.ts';
import type { Descriptor, ImageManifest, Repository } from './oci-client.ts';

export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
export const DSSE_MEDIA_TYPE = 'application/vnd.dsse.envelope.v1+json';
const CONFIG_MEDIA_TYPE = 'application/vnd.oci.image.config.v1+json';

/** cosign's tag for the signatures (`.sig`) or attestations (`.att`) of `digest`. */
export function signatureTag(digest: string, suffix: 'sig' | 'att' = 'sig'): string {
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`not a sha256 digest: ${digest}`);
  return `${digest.replace(':', '-')}.${suffix}`;
}

/** Pushes `signature` for `digest`, keeping signatures already stored there. */
export async function pushSignature(
  repo: Repository,
  digest: string,
  signature: ImageSignature,
): Promise<string> {
  const layer = await pushBlob(repo, SIMPLE_SIGNING_MEDIA_TYPE, signature.payload);
  return appendLayer(repo, signatureTag(digest), {
    ...layer,
    annotations: { [SIGNATURE_ANNOTATION]: signature.signature },
  });
}

/** The signatures stored for `digest` (none when the tag does not exist). */
export async function findSignatures(repo: Repository, digest: string): Promise<ImageSignature[]> {
  const found = await getManifest(repo, signatureTag(digest));
  const out: ImageSignature[] = [];
  for (const layer of found?.manifest.layers ?? []) {
    const signature = layer.annotations?.[SIGNATURE_ANNOTATION];
    if (layer.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE || !signature) continue;
    out.push({ payload: await getBlob(repo, layer.digest), signature });
  }
  return out;
}

/** Pushes a DSSE attestation (e.g. the SBOM's) for `digest` under `sha256-<hex>.att`. */
export async function pushAttestation(
  repo: Repository,
  digest: string,
  envelope: DsseEnvelope,
  predicateType: string,
): Promise<string> {
  const layer = await pushBlob(
    repo,
    DSSE_MEDIA_TYPE,
    Buffer.from(JSON.stringify(envelope), 'utf8'),
  );
  // cosign leaves the signature annotation empty on attestations: the envelope carries it.
  return appendLayer(repo, signatureTag(digest, 'att'), {
    ...layer,
    annotations: { [SIGNATURE_ANNOTATION]: '', predicateType },
  });
}

/** The DSSE envelopes attached to `digest` (verify each with verifySbomAttestation). */
export async function findAttestations(repo: Repository, digest: string): Promise<DsseEnvelope[]> {
  const found = await getManifest(repo, signatureTag(digest, 'att'));
  const out: DsseEnvelope[] = [];
  for (const layer of found?.manifest.layers ?? []) {
    if (layer.mediaType !== DSSE_MEDIA_TYPE) continue;
    out.push(JSON.parse((await getBlob(repo, layer.digest)).toString('utf8')) as DsseEnvelope);
  }
  return out;
}

/** Adds `layer` to the manifest under `tag` (creating it), skipping an identical layer. */
async function appendLayer(repo: Repository, tag: string, layer: Descriptor): Promise<string> {
  const existing = await getManifest(repo, tag);
  const same = (known: Descriptor) =>
    known.digest === layer.digest &&
    JSON.stringify(known.annotations) === JSON.stringify(layer.annotations);
  const layers = [...(existing?.manifest.layers ?? []).filter((known) => !same(known)), layer];
  // The config lists the layers as cosign's does, so `cosign verify` reads the same image.
  const config = Buffer.from(
    JSON.stringify({
      architecture: '',
      os: '',
      config: {},
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
    }),
    'utf8',
  );
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: await pushBlob(repo, CONFIG_MEDIA_TYPE, config),
    layers,
  };
  return putManifest(repo, tag, manifest);
}
