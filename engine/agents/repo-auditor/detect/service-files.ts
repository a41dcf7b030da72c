/**
 * Small readers of a service's own files, used while assembling it: the Dockerfile claim of
 * the stage its build produces, the `web` process of its Procfile, and the variables its
 * nearest .env template documents.
 */
import { ev, joinPath } from '../evidence.ts';
import type { Evidence, Service } from '../fingerprint.ts';
import type { DockerStage } from '../parsers/dockerfile.ts';
import { parseEnvFile } from '../parsers/env-file.ts';
import { parseProcfile } from '../parsers/procfile.ts';
import type { RepoView } from '../repo-view.ts';

/** The Dockerfile claim of a service: the stage its build produces, as that image sees it. */
export function dockerfileClaim(dockerfile: {
  path: string;
  stage: DockerStage;
}): Service['dockerfile'] {
  const { path, stage } = dockerfile;
  return {
    value: {
      path,
      baseImage: stage.baseImage,
      exposedPorts: stage.exposes.map((item) => item.port),
      user: stage.user?.name ?? null,
      healthcheck: stage.healthcheck?.command ?? null,
    },
    evidence: [ev(path, stage.line)],
  };
}

/** The `web` process of the Procfile in `dir`, if any. */
export async function readProcfile(
  view: RepoView,
  dir: string,
): Promise<{ command: string; evidence: Evidence } | null> {
  const path = joinPath(dir, 'Procfile');
  const text = view.has(path) ? await view.text(path) : undefined;
  const web = text ? parseProcfile(text).find((entry) => entry.type === 'web') : undefined;
  return web ? { command: web.command, evidence: ev(path, web.line) } : null;
}

const ENV_TEMPLATES = [
  '.env.example',
  '.env.sample',
  '.env.template',
  '.env.dist',
  '.env.defaults',
  'env.example',
];

/** Variables listed in the nearest .env template (the service folder, then its parents). */
export async function documentedEnv(
  view: RepoView,
  dir: string,
): Promise<Array<{ name: string; evidence: Evidence }>> {
  const template = view.nearest(dir, ENV_TEMPLATES);
  if (!template) return [];
  const text = (await view.text(template)) ?? '';
  return parseEnvFile(text).map((entry) => ({
    name: entry.name,
    evidence: ev(template, entry.line),
  }));
}
