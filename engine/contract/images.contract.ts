/**
 * Base images for real Dockerfiles, offline (issue 14): the catalog of stand-ins this machine
 * can build from its Debian packages, and filling a registry with them under the names real
 * Dockerfiles use (`node:18-slim` → `<registry>/library/node:18-slim`), so engines that use that
 * registry as their `registry.mirror` pull them instead of building them. Every published
 * reference records what really stands in for it. Part of the contract: zod only.
 */
import { z } from 'zod';
import { MirrorSetting } from './config.contract.ts';
import { defineOperation } from './operation.ts';

export const StandInCatalogRow = z.object({
  /** `node`, `python`, `debian`, … or an image with no stand-in (`ubuntu`, `datastores`). */
  family: z.string(),
  /** References people write that the row covers (`node:20-slim`, `node:lts-alpine`). */
  examples: z.array(z.string()),
  /** What stands in here, in words (versions found on this machine). */
  standsIn: z.string(),
  available: z.boolean(),
  /** Why not, when not available here. */
  reason: z.string().optional(),
});
export type StandInCatalogRow = z.infer<typeof StandInCatalogRow>;

export const PublishedImage = z.object({
  /** The reference as given (`node:18-slim`). */
  reference: z.string(),
  /** Where it went: `127.0.0.1:15000/library/node:18-slim`. */
  pushedAs: z.string(),
  /** The manifest digest the registry reported (`sha256:…`). */
  digest: z.string(),
  /** What it really is: `Node 20.20.2, npm 10.9.9, … on Debian 12.11`. */
  actual: z.string(),
  /** Every way it differs from the reference (another major, another OS variant, …). */
  warnings: z.array(z.string()),
});
export type PublishedImage = z.infer<typeof PublishedImage>;

export const imagesList = defineOperation({
  name: 'images.list',
  summary:
    'The base images this machine can stand in for (built from its Debian packages), and why not for the others',
  input: z.object({}).strict(),
  output: z.object({ standIns: z.array(StandInCatalogRow) }),
  http: { method: 'GET', path: '/images/stand-ins' },
});

export const imagesPublish = defineOperation({
  name: 'images.publish',
  summary:
    "Build stand-ins for base image references and push them to a registry under the references' names (audited per reference)",
  input: z
    .object({
      /** `debian:bookworm-slim`, `node:20-slim`, `gcr.io/distroless/static:nonroot`, … */
      references: z.array(z.string().min(1).max(512)).min(1).max(50),
      /** The registry's URL; the configured `registry.mirror` when omitted. */
      registry: MirrorSetting.shape.url.optional(),
    })
    .strict(),
  output: z.object({
    /** The registry pushed to (a URL without credentials). */
    registry: z.string(),
    published: z.array(PublishedImage),
  }),
  http: { method: 'POST', path: '/images/publish' },
});
