/**
 * `prodsprint tools list` and `tools verify` (issue 8): what the manifest allows, what of it is
 * present here, and whether what is present is what the manifest pins.
 */
import type Docker from 'dockerode';
import { isAbsolute, join } from 'node:path';
import { findExecutable } from './detect.ts';
import { sha256File } from './manifest.ts';
import type { ToolEntry, ToolManifest } from './manifest.ts';

export interface ToolEnvironment {
  /** Root that relative manifest paths are resolved from. */
  projectRoot: string;
  /** Whose PATH bare binary names are looked up in (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Configured binary per tool name (wins over the manifest path). */
  binaryPaths?: Record<string, string>;
}

export interface ToolListing {
  name: string;
  version: string;
  purpose?: string;
  binary: { path: string; sha256: string; foundAt?: string } | null;
  image: { reference: string; digest: string | null } | null;
  unavailable?: string;
  remediation: string;
}

/** The allow-list with where each binary was found (no hashing, no engine calls). */
export function listTools(manifest: ToolManifest, environment: ToolEnvironment): ToolListing[] {
  return manifest.tools.map((entry) => {
    const foundAt = entry.binary ? locateBinary(entry, environment) : undefined;
    return {
      name: entry.name,
      version: entry.version,
      ...(entry.purpose ? { purpose: entry.purpose } : {}),
      binary: entry.binary ? { ...entry.binary, ...(foundAt ? { foundAt } : {}) } : null,
      image: entry.image ? { reference: entry.image.reference, digest: entry.image.digest } : null,
      ...(entry.unavailable ? { unavailable: entry.unavailable } : {}),
      remediation: entry.remediation,
    };
  });
}

export type BinaryStatus = 'ok' | 'missing' | 'checksum-mismatch' | 'not-in-manifest';
export type ImageStatus =
  'ok' | 'missing' | 'digest-mismatch' | 'not-pinned' | 'not-in-manifest' | 'no-engine';

export interface ToolVerification {
  name: string;
  binary: { status: BinaryStatus; path?: string; actualSha256?: string };
  image: { status: ImageStatus; reference?: string; actualId?: string };
  /** True when something usable and verified is present (a binary or an image). */
  usable: boolean;
  remediation: string;
}

/** Hashes every present binary and looks up every pinned image on the engine, if one is given. */
export async function verifyTools(
  manifest: ToolManifest,
  environment: ToolEnvironment,
  docker?: Docker,
): Promise<ToolVerification[]> {
  const results: ToolVerification[] = [];
  for (const entry of manifest.tools) {
    const binary = await verifyBinary(entry, environment);
    const image = await verifyImage(entry, docker);
    results.push({
      name: entry.name,
      binary,
      image,
      usable: binary.status === 'ok' || image.status === 'ok',
      remediation: entry.remediation,
    });
  }
  return results;
}

async function verifyBinary(
  entry: ToolEntry,
  environment: ToolEnvironment,
): Promise<ToolVerification['binary']> {
  if (!entry.binary) return { status: 'not-in-manifest' };
  const path = locateBinary(entry, environment);
  if (!path) return { status: 'missing' };
  const actualSha256 = await sha256File(path);
  return {
    status: actualSha256 === entry.binary.sha256 ? 'ok' : 'checksum-mismatch',
    path,
    actualSha256,
  };
}

async function verifyImage(entry: ToolEntry, docker?: Docker): Promise<ToolVerification['image']> {
  if (!entry.image) return { status: 'not-in-manifest' };
  const reference = entry.image.reference;
  if (!entry.image.digest) return { status: 'not-pinned', reference };
  if (!docker) return { status: 'no-engine', reference };
  try {
    const { Id } = await docker.getImage(reference).inspect();
    return {
      status: Id === entry.image.digest ? 'ok' : 'digest-mismatch',
      reference,
      actualId: Id,
    };
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404)
      return { status: 'missing', reference };
    throw error;
  }
}

function locateBinary(entry: ToolEntry, environment: ToolEnvironment): string | undefined {
  const wanted = environment.binaryPaths?.[entry.name] ?? entry.binary?.path;
  if (!wanted) return undefined;
  if (!wanted.includes('/')) return findExecutable(wanted, environment.env);
  return findExecutable(
    isAbsolute(wanted) ? wanted : join(environment.projectRoot, wanted),
    environment.env,
  );
}
