import { z } from 'zod';
import { defineOperation } from './operation.ts';

export const toolsList = defineOperation({
  name: 'tools.list',
  summary: 'The allow-listed external tools (bundled-tools/manifest.json) and where each was found',
  input: z.object({}).strict(),
  output: z.object({
    tools: z.array(
      z.object({
        name: z.string(),
        version: z.string(),
        binary: z
          .object({ path: z.string(), sha256: z.string(), foundAt: z.string().optional() })
          .nullable(),
        image: z.object({ reference: z.string(), digest: z.string().nullable() }).nullable(),
        unavailable: z.string().optional(),
        remediation: z.string(),
      }),
    ),
  }),
  http: { method: 'GET', path: '/tools' },
});

export const toolsVerify = defineOperation({
  name: 'tools.verify',
  summary: 'Check every tool: binary checksums and local image IDs against the manifest',
  input: z.object({}).strict(),
  output: z.object({
    tools: z.array(
      z.object({
        name: z.string(),
        binary: z.object({
          status: z.string(),
          path: z.string().optional(),
          actualSha256: z.string().optional(),
        }),
        image: z.object({
          status: z.string(),
          reference: z.string().optional(),
          actualId: z.string().optional(),
        }),
        usable: z.boolean(),
        remediation: z.string().optional(),
      }),
    ),
  }),
  http: { method: 'POST', path: '/tools/verify' },
});

export const toolsLoad = defineOperation({
  name: 'tools.load',
  summary:
    'Load an offline tool bundle (docker save tarball) after verifying its digests against the manifest',
  input: z
    .object({ file: z.string().min(1, 'give the tool bundle: a docker save tarball') })
    .strict(),
  output: z.object({
    loaded: z.array(z.object({ tool: z.string(), reference: z.string(), imageId: z.string() })),
  }),
  http: { method: 'POST', path: '/tools/load' },
});
