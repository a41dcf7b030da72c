/**
 * Stages of a multi-stage Dockerfile as the built image sees them. A stage built `FROM` an
 * earlier stage inherits that stage's image configuration (exposed ports, environment, user,
 * health check, CMD/ENTRYPOINT), so the image of `FROM builder` runs builder's CMD and its base
 * is whatever builder was built from, followed alias by alias to the external image. FROM
 * may use the ARGs declared before the first FROM (`FROM node:${NODE_VERSION}`): they are
 * filled from the build's args, then the ARG defaults; an ARG with no known value stays as
 * written. https://docs.docker.com/reference/dockerfile/#understand-how-arg-and-from-interact
 */
import type { DockerStage, ParsedDockerfile } from './dockerfile.ts';

/** Index of the stage called `name` (Docker compares stage names case-insensitively). */
export function stageIndex(parsed: ParsedDockerfile, name: string): number | undefined {
  const wanted = name.toLowerCase();
  const index = parsed.stages.findIndex((stage) => stage.name === wanted);
  return index < 0 ? undefined : index;
}

/** The image reference of stage `index` with its ARGs filled in where their value is known. */
export function fromReference(
  parsed: ParsedDockerfile,
  index: number,
  buildArgs: Readonly<Record<string, string>> = {},
): string {
  const values = new Map<string, string>();
  for (const arg of parsed.globalArgs) if (arg.value !== null) values.set(arg.name, arg.value);
  for (const [name, value] of Object.entries(buildArgs))
    if (parsed.globalArgs.some((arg) => arg.name === name)) values.set(name, value);
  const raw = parsed.stages[index]?.baseImage ?? '';
  let unknown = false;
  const filled = raw.replace(
    /\$\{([A-Za-z_]\w*)(?::?-([^}]*))?\}|\$([A-Za-z_]\w*)/g,
    (_match, braced?: string, fallback?: string, bare?: string) => {
      const value = values.get(braced ?? bare ?? '') ?? fallback;
      if (value === undefined) unknown = true;
      return value ?? '';
    },
  );
  return unknown ? raw : filled;
}

/** The stage an earlier `FROM <name>` refers to, if `index` is built from one. */
export function parentStage(
  parsed: ParsedDockerfile,
  index: number,
  buildArgs: Readonly<Record<string, string>> = {},
): number | undefined {
  const parent = stageIndex(parsed, fromReference(parsed, index, buildArgs));
  return parent !== undefined && parent < index ? parent : undefined;
}

/** Stage indexes from the one built on an external image down to `index`. */
export function stageChain(
  parsed: ParsedDockerfile,
  index: number,
  buildArgs: Readonly<Record<string, string>> = {},
): number[] {
  const chain = [index];
  for (let at = parentStage(parsed, index, buildArgs); at !== undefined;) {
    chain.unshift(at);
    at = parentStage(parsed, at, buildArgs);
  }
  return chain;
}

/**
 * Stage `index` as the image it builds: the external base image, and the configuration it
 * inherits along its FROM chain. Setting ENTRYPOINT clears an inherited CMD, as Docker does.
 */
export function resolveStage(
  parsed: ParsedDockerfile,
  index: number,
  buildArgs: Readonly<Record<string, string>> = {},
): DockerStage {
  const chain = stageChain(parsed, index, buildArgs);
  const own = parsed.stages[index];
  const root = chain[0] ?? index;
  if (!own) throw new Error(`no stage ${index}`);
  const resolved: DockerStage = {
    ...own,
    baseImage: fromReference(parsed, root, buildArgs),
    exposes: [],
    env: [],
    copies: [],
    runs: [],
  };
  delete resolved.cmd;
  delete resolved.entrypoint;
  delete resolved.healthcheck;
  delete resolved.user;
  for (const at of chain) {
    const stage = parsed.stages[at];
    if (!stage) continue;
    resolved.exposes.push(...stage.exposes);
    resolved.env.push(...stage.env);
    resolved.copies.push(...stage.copies);
    resolved.runs.push(...stage.runs);
    if (stage.entrypoint) {
      resolved.entrypoint = stage.entrypoint;
      if (stage.cmd) resolved.cmd = stage.cmd;
      else delete resolved.cmd;
    } else if (stage.cmd) resolved.cmd = stage.cmd;
    if (stage.healthcheck) resolved.healthcheck = stage.healthcheck;
    if (stage.user) resolved.user = stage.user;
  }
  return resolved;
}

const DEV_STAGE = /(?:^|[-_.])(?:dev|develop|development|debug|test|tests|e2e|local)(?:[-_.]|$)/;
const PRODUCTION_STAGE = /^(?:prod|production|release|runtime|runner)$/;

/** True for a stage whose name says it is for development or tests (`dev`, `dev-envs`, `debug`). */
export function isDevStageName(name: string | null): boolean {
  return name !== null && DEV_STAGE.test(name);
}

/**
 * A production-like stage after `index`: the last one named prod/production/release/runtime/
 * runner, else the last stage when its name does not say development. Undefined when none.
 */
export function laterProductionStage(parsed: ParsedDockerfile, index: number): number | undefined {
  let named: number | undefined;
  parsed.stages.forEach((stage, at) => {
    if (at > index && stage.name !== null && PRODUCTION_STAGE.test(stage.name)) named = at;
  });
  if (named !== undefined) return named;
  const last = parsed.stages.length - 1;
  return last > index && !isDevStageName(parsed.stages[last]?.name ?? null) ? last : undefined;
}
