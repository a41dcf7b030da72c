/**
 * The few OCI Distribution API calls signature storage needs, over fetch: blob existence and
 * monolithic upload, manifest get/put. No authentication yet (a registry configured with auth
 * is reported as such by the 401 it answers).
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md
 */
import { createHash } from 'node:crypto';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const MANIFEST_ACCEPT = [
  OCI_MANIFEST,
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

export interface Repository {
  /** Registry base URL, e.g. `https://registry.internal` or `http://127.0.0.1:15000`. */
  registry: string;
  /** Repository name, e.g. `shop/api`. */
  name: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Uploads a blob unless the registry has it already; returns its descriptor. */
export async function pushBlob(
  repo: Repository,
  mediaType: string,
  bytes: Uint8Array,
): Promise<Descriptor> {
  const digest = sha256Digest(bytes);
  const descriptor = { mediaType, digest, size: bytes.length };
  const head = await fetch(url(repo, `blobs/${digest}`), { method: 'HEAD' });
  if (head.ok) return descriptor;
  const start = await fetch(url(repo, 'blobs/uploads/'), { method: 'POST' });
  await expectStatus(start, [202], 'starting a blob upload');
  const location = new URL(start.headers.get('location') ?? '', repo.registry);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  await expectStatus(put, [201], `uploading blob ${digest}`);
  return descriptor;
}

export async function getBlob(repo: Repository, digest: string): Promise<Buffer> {
  const response = await fetch(url(repo, `blobs/${digest}`));
  await expectStatus(response, [200], `fetching blob ${digest}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  if (sha256Digest(bytes) !== digest) throw new Error(`blob ${digest} does not match its digest`);
  return bytes;
}

/** Puts a manifest under `reference` (tag or digest); returns the manifest digest. */
export async function putManifest(
  repo: Repository,
  reference: string,
  manifest: ImageManifest,
): Promise<string> {
  const body = Buffer.from(JSON.stringify(manifest), 'utf8');
  const response = await fetch(url(repo, `manifests/${reference}`), {
    method: 'PUT',
    headers: { 'content-type': manifest.mediaType },
    body,
  });
  await expectStatus(response, [201], `putting manifest ${reference}`);
  return sha256Digest(body);
}

/** The manifest under `reference`, or undefined when the registry has none. */
export async function getManifest(
  repo: Repository,
  reference: string,
): Promise<{ manifest: ImageManifest; digest: string } | undefined> {
  const response = await fetch(url(repo, `manifests/${reference}`), {
    headers: { accept: MANIFEST_ACCEPT },
  });
  if (response.status === 404) return undefined;
  await expectStatus(response, [200], `fetching manifest ${reference}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  return {
    manifest: JSON.parse(bytes.toString('utf8')) as ImageManifest,
    digest: sha256Digest(bytes),
  };
}

/** The digest the registry gives for `reference` (HEAD, `Docker-Content-Digest`). */
export async function resolveDigest(repo: Repository, reference: string): Promise<string> {
  const response = await fetch(url(repo, `manifests/${reference}`), {
    method: 'HEAD',
    headers: { accept: MANIFEST_ACCEPT },
  });
  await expectStatus(response, [200], `resolving ${reference}`);
  const digest = response.headers.get('docker-content-digest');
  if (!digest) throw new Error(`the registry gave no Docker-Content-Digest for ${reference}`);
  return digest;
}

function url(repo: Repository, path: string): URL {
  return new URL(`/v2/${repo.name}/${path}`, repo.registry);
}

async function expectStatus(response: Response, ok: number[], what: string): Promise<void> {
  if (ok.includes(response.status)) return;
  const detail = (await response.text().catch(() => '')).slice(0, 300);
  throw new Error(`${what} failed: HTTP ${response.status} ${detail}`.trim());
}
