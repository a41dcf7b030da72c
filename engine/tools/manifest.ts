/**
 * `bundled-tools/manifest.json`: the allow-list of external tools ProdSprint may run (issue 8,
 * STYLE.md point 9). A tool that is not in it is never executed; a binary whose sha256 differs
 * or an image whose ID differs is refused. An entry may have a binary, an image, both, or
 * neither, but "neither" must say why (`unavailable`): digests are never made up.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in lowercase hex (64 characters)');

export const imageDigestSchema = z
  .string()
  .regex(/^sha256:[0-9a-f]{64}$/, 'an image digest of the form sha256:<64 hex>');

export const toolBinarySchema = z.strictObject({
  /** Relative to the project root (bundled in node_modules), or a bare name looked up on PATH. */
  path: z.string().min(1),
  sha256: sha256Hex,
});

export const toolImageSchema = z.strictObject({
  reference: z.string().min(1),
  /**
   * The image ID (sha256 of the image config), or null until the image is built or loaded:
   * a null digest means "not pinned yet" and the DockerRunner refuses to run it.
   */
  digest: imageDigestSchema.nullable(),
  /** How the digest gets filled (for entries whose digest is still null). */
  digestSource: z.string().optional(),
});

export const toolEntrySchema = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/),
    version: z.string().min(1),
    purpose: z.string().optional(),
    binary: toolBinarySchema.nullable(),
    image: toolImageSchema.nullable(),
    /** Why there is neither binary nor image here, and what to do about it. */
    unavailable: z.string().optional(),
    remediation: z.string().min(1),
  })
  .refine((entry) => entry.binary !== null || entry.image !== null || entry.unavailable, {
    message: 'an entry with neither binary nor image must say why in `unavailable`',
  });

export const toolManifestSchema = z.strictObject({
  schemaVersion: z.literal(1),
  tools: z.array(toolEntrySchema).refine((tools) => {
    const names = tools.map((tool) => tool.name);
    return new Set(names).size === names.length;
  }, 'tool names must be unique'),
});

export type ToolManifest = z.infer<typeof toolManifestSchema>;
export type ToolEntry = z.infer<typeof toolEntrySchema>;
export type ToolImage = z.infer<typeof toolImageSchema>;

/** Parses a manifest object, throwing a readable error that names the bad field. */
export function parseToolManifest(value: unknown, source = 'tool manifest'): ToolManifest {
  const result = toolManifestSchema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new Error(`${source} is invalid: ${issues}`);
  }
  return result.data;
}

/** Reads and validates a manifest file (normally `bundled-tools/manifest.json`). */
export async function loadToolManifest(file: string): Promise<ToolManifest> {
  return parseToolManifest(JSON.parse(await readFile(file, 'utf8')) as unknown, file);
}

/** The manifest entry of `name`, or undefined when the tool is not allowed at all. */
export function findToolEntry(manifest: ToolManifest, name: string): ToolEntry | undefined {
  return manifest.tools.find((tool) => tool.name === name);
}

/** sha256 of a file in lowercase hex, streamed (tool binaries are tens of MB). */
export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}
