/**
 * The air-gapped base-image mapping. ProdSprint's Dockerfiles (and the examples') declare
 * `ARG BASE_IMAGE=<public image>` + `FROM ${BASE_IMAGE}`: with a registry the default is used,
 * without one the caller builds the runtime's local base (ensureRuntimeBaseImage) and passes
 * BASE_IMAGE=local/<runtime>:base. This reads which runtime a Dockerfile's default is.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type BaseRuntime = 'node' | 'python';

export interface BaseImageArg {
  /** The ARG's default (the public image), e.g. `node:22-bookworm-slim`. */
  publicImage: string;
  /** The runtime whose local base can stand in for it; undefined when none can. */
  runtime: BaseRuntime | undefined;
  /** What to pass as build args for an air-gapped build (empty when no local base fits). */
  buildArgs: Record<string, string>;
}

/** Reads `ARG BASE_IMAGE=…` (before the first FROM); undefined when the Dockerfile has none. */
export function baseImageArg(
  contextDir: string,
  dockerfile = 'Dockerfile',
): BaseImageArg | undefined {
  const text = readFileSync(join(contextDir, dockerfile), 'utf8');
  const match = /^\s*ARG\s+BASE_IMAGE=(\S+)\s*$/im.exec(text);
  if (!match?.[1] || !/^\s*FROM\s+(?:--\S+\s+)*\$\{?BASE_IMAGE\}?/im.test(text)) return undefined;
  const publicImage = match[1].replace(/^["']|["']$/g, '');
  const runtime = runtimeOf(publicImage);
  return {
    publicImage,
    runtime,
    buildArgs: runtime ? { BASE_IMAGE: `local/${runtime}:base` } : {},
  };
}

/** `node:22-…`, `docker.io/library/python:3.11-slim` → the runtime; anything else undefined. */
export function runtimeOf(image: string): BaseRuntime | undefined {
  // The last path segment without tag or digest (a registry host may carry a :port).
  const name = image.split('@')[0]!.split('/').pop()!.split(':')[0];
  if (name === 'node') return 'node';
  if (name === 'python') return 'python';
  return undefined;
}
