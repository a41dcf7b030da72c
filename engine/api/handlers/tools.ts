import { join, resolve } from 'node:path';
import Docker from 'dockerode';
import {
  listTools,
  loadToolBundle,
  loadToolManifest,
  ToolError,
  verifyTools,
  type ToolManifest,
} from '../../tools/index.ts';
import type { HandlerContext } from '../handler-context.ts';
import type { HandlerTable } from '../handlers.ts';
import { ProblemError } from '../../contract/problem.ts';

function manifestOf(ctx: HandlerContext): Promise<ToolManifest> {
  return loadToolManifest(join(ctx.projectRoot, 'bundled-tools', 'manifest.json'));
}

export const toolHandlers: HandlerTable = {
  'tools.list': async (_input, ctx) => ({
    tools: listTools(await manifestOf(ctx), { projectRoot: ctx.projectRoot, env: ctx.env }),
  }),

  'tools.verify': async (_input, ctx) => ({
    tools: await verifyTools(
      await manifestOf(ctx),
      { projectRoot: ctx.projectRoot, env: ctx.env },
      new Docker({ timeout: 5000 }),
    ),
  }),

  'tools.load': async (input, ctx) => {
    const docker = new Docker({ timeout: 120_000 });
    try {
      await docker.ping();
    } catch {
      throw ProblemError.of('tool-missing', {
        detail: 'no Docker Engine answered, so the tool bundle cannot be loaded',
        remedy: 'start the Docker Engine (dockerd), or set DOCKER_HOST',
      });
    }
    try {
      const loaded = await loadToolBundle(resolve(input.file), await manifestOf(ctx), docker, {
        db: ctx.store().db,
      });
      return { loaded };
    } catch (error) {
      if (!(error instanceof ToolError)) throw error;
      throw ProblemError.of('validation-failed', {
        detail: `the bundle was refused (${error.reason}): ${error.message}`,
        errors: [{ field: 'input.file', message: error.message }],
        remedy: error.remediation,
      });
    }
  },
};
