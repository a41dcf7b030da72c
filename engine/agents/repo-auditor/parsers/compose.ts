/**
 * Docker Compose files (compose-spec): the services, their image or build (context, Dockerfile,
 * target, args), container ports, environment variable names and health checks, each with the
 * line it is declared on. Values may use `${VAR:-default}` interpolation: the default is what a
 * fresh checkout builds with; a value that depends on the caller's environment is unknown.
 * https://github.com/compose-spec/compose-spec/blob/main/spec.md
 * https://github.com/compose-spec/compose-spec/blob/main/build.md
 */
import { dirOf, ev, joinPath } from '../evidence.ts';
import type { ComposeService, Evidence } from '../fingerprint.ts';
import { parseYaml } from './yaml-safe.ts';

export interface ComposeBuild {
  /** Repository-relative build context. */
  context: string;
  /** Repository-relative Dockerfile (compose's `dockerfile` is relative to the context). */
  dockerfile: string;
  target: string | null;
  /** Build args whose value is known; `${VAR}` without a default is left out. */
  args: Record<string, string>;
  /** The `build` key, then `target` when set. */
  evidence: Evidence[];
}

export interface ComposeServiceDetail extends ComposeService {
  env: Array<{ name: string; evidence: Evidence }>;
  /** `command` as one string (list form joined with spaces), with the line it is on. */
  command: { text: string; evidence: Evidence } | null;
  entrypoint: { text: string; evidence: Evidence } | null;
  /** `profiles`: a service with profiles only starts when one of them is enabled. */
  profiles: string[];
  /** `depends_on` in list or map form; `condition` only in the map form. */
  dependsOn: Array<{ name: string; condition: string | null }>;
  /** `expose` ports (reachable by other services, not published). */
  expose: number[];
  /**
   * The port a reverse proxy is told the service listens on, from its labels (Traefik's
   * `traefik.http.services.<name>.loadbalancer.server.port`): the app's own port, stated.
   */
  proxyPort: { port: number; evidence: Evidence } | null;
  dockerfile: string | null;
  /** Null without `build`, or when its context, Dockerfile or target cannot be known. */
  buildSpec: ComposeBuild | null;
  healthcheck: { command: string; evidence: Evidence } | null;
}

export type ComposeParse =
  { ok: true; services: ComposeServiceDetail[] } | { ok: false; error: string; line: number };

const COMPOSE_NAME = /^(?:docker-)?compose(?:[.-][\w.-]+)?\.ya?ml$/;

export function isComposeFile(name: string): boolean {
  return COMPOSE_NAME.test(name);
}

export function parseCompose(path: string, text: string): ComposeParse {
  const parsed = parseYaml(text);
  if (!parsed.ok) return parsed;
  const doc = parsed.docs[0];
  const root = doc?.value;
  if (!doc || !isRecord(root) || !isRecord(root.services)) return { ok: true, services: [] };
  const baseDir = dirOf(path);
  const services: ComposeServiceDetail[] = [];
  for (const [name, spec] of Object.entries(root.services)) {
    if (!isRecord(spec)) continue;
    const line = doc.keyLine(['services', name]);
    const build = buildOf(spec.build);
    const buildSpec = build
      ? buildSpecOf(build, baseDir, (key) => ev(path, doc.keyLine(['services', name, ...key])))
      : null;
    const env: ComposeServiceDetail['env'] = [];
    const environment = spec.environment;
    if (Array.isArray(environment)) {
      environment.forEach((item, index) => {
        const key = String(item).split('=')[0]?.trim();
        if (key)
          env.push({
            name: key,
            evidence: ev(path, doc.keyLine(['services', name, 'environment', index])),
          });
      });
    } else if (isRecord(environment)) {
      for (const key of Object.keys(environment))
        env.push({
          name: key,
          evidence: ev(path, doc.keyLine(['services', name, 'environment', key])),
        });
    }
    const health = isRecord(spec.healthcheck) ? spec.healthcheck.test : undefined;
    const at = (key: string) => ev(path, doc.keyLine(['services', name, key]));
    services.push({
      name,
      image: typeof spec.image === 'string' ? spec.image : null,
      build: build ? joinPath(baseDir, build.context) : null,
      dockerfile: build?.dockerfile
        ? joinPath(joinPath(baseDir, build.context), build.dockerfile)
        : null,
      ports: containerPorts(spec.ports),
      evidence: [ev(path, line)],
      env,
      command: commandOf(spec.command, () => at('command')),
      entrypoint: commandOf(spec.entrypoint, () => at('entrypoint')),
      profiles: Array.isArray(spec.profiles) ? spec.profiles.map(String) : [],
      dependsOn: dependsOnOf(spec.depends_on),
      expose: containerPorts(spec.expose),
      proxyPort: proxyPortOf(spec.labels, () => at('labels')),
      buildSpec,
      healthcheck:
        health === undefined
          ? null
          : {
              command: Array.isArray(health) ? health.map(String).join(' ') : String(health),
              evidence: ev(path, doc.keyLine(['services', name, 'healthcheck'])),
            },
    });
  }
  return { ok: true, services };
}

/** `command:`/`entrypoint:` in string or list form; null when absent or empty. */
function commandOf(
  value: unknown,
  at: () => Evidence,
): { text: string; evidence: Evidence } | null {
  const text = Array.isArray(value)
    ? value.map(String).join(' ')
    : typeof value === 'string'
      ? value
      : '';
  const trimmed = text.replace(/\s+/g, ' ').trim();
  return trimmed === '' ? null : { text: trimmed, evidence: at() };
}

function dependsOnOf(value: unknown): ComposeServiceDetail['dependsOn'] {
  if (Array.isArray(value)) return value.map((name) => ({ name: String(name), condition: null }));
  if (!isRecord(value)) return [];
  return Object.entries(value).map(([name, spec]) => ({
    name,
    condition: isRecord(spec) && typeof spec.condition === 'string' ? spec.condition : null,
  }));
}

interface RawBuild {
  context: string;
  dockerfile?: string;
  target?: unknown;
  args?: unknown;
  inline: boolean;
}

function buildOf(build: unknown): RawBuild | undefined {
  if (typeof build === 'string') return { context: build, inline: false };
  if (isRecord(build)) {
    const context = typeof build.context === 'string' ? build.context : '.';
    return {
      context,
      ...(typeof build.dockerfile === 'string' ? { dockerfile: build.dockerfile } : {}),
      target: build.target,
      args: build.args,
      inline: build.dockerfile_inline !== undefined,
    };
  }
  return undefined;
}

/** The build as repository paths and known values; null when any part cannot be known. */
function buildSpecOf(
  build: RawBuild,
  baseDir: string,
  at: (key: string[]) => Evidence,
): ComposeBuild | null {
  const context = interpolate(build.context);
  const dockerfile = interpolate(build.dockerfile ?? 'Dockerfile');
  const target = build.target === undefined ? null : interpolate(String(build.target));
  if (build.inline || context === undefined || dockerfile === undefined || target === undefined)
    return null;
  if (/^[a-z][\w+.-]*:\/\/|^git@/i.test(context)) return null;
  const contextDir = joinPath(baseDir, context);
  const evidence = [at(['build'])];
  if (target) evidence.push(at(['build', 'target']));
  return {
    context: contextDir,
    dockerfile: joinPath(contextDir, dockerfile),
    target: target || null,
    args: buildArgs(build.args),
    evidence,
  };
}

/** `args` in map form (`KEY: value`) or list form (`- KEY=value`); unknown values left out. */
function buildArgs(args: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (key: string, raw: unknown) => {
    if (raw === null || raw === undefined || typeof raw === 'object') return;
    const value = interpolate(String(raw));
    if (value !== undefined && /^[A-Za-z_][\w.-]*$/.test(key)) out[key] = value;
  };
  if (Array.isArray(args)) {
    for (const item of args) {
      const text = String(item);
      const eq = text.indexOf('=');
      if (eq > 0) add(text.slice(0, eq).trim(), text.slice(eq + 1));
    }
  } else if (isRecord(args)) {
    for (const [key, value] of Object.entries(args)) add(key, value);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Compose interpolation with an empty environment: `$$` is a literal `$`, `${VAR:-default}` and
 * `${VAR-default}` give the default; `${VAR}`, `$VAR` and the `?`/`+` forms depend on the
 * caller's environment, so the value is unknown (undefined). A nested `${` in a default is
 * unknown too. https://github.com/compose-spec/compose-spec/blob/main/12-interpolation.md
 */
export function interpolate(value: string): string | undefined {
  let out = '';
  for (let at = 0; at < value.length;) {
    const dollar = value.indexOf('$', at);
    if (dollar < 0) return out + value.slice(at);
    out += value.slice(at, dollar);
    const next = value[dollar + 1];
    if (next === '$') {
      out += '$';
      at = dollar + 2;
      continue;
    }
    if (next !== '{') {
      if (next !== undefined && /[A-Za-z_]/.test(next)) return undefined;
      out += '$';
      at = dollar + 1;
      continue;
    }
    const close = value.indexOf('}', dollar);
    if (close < 0) return undefined;
    const body = value.slice(dollar + 2, close);
    const match = /^[A-Za-z_]\w*(:?-)/.exec(body);
    const fallback = match ? body.slice(match[0].length) : undefined;
    if (fallback === undefined || fallback.includes('$')) return undefined;
    out += fallback;
    at = close + 1;
  }
  return out;
}

/**
 * Container-side ports of `ports:` in short ("8080:80", "3000", "127.0.0.1:80:80/tcp") or long
 * form, and of `expose:` ("3000", 3000). A range ("3000-3005") gives its first port.
 */
function containerPorts(ports: unknown): number[] {
  if (!Array.isArray(ports)) return [];
  const out: number[] = [];
  for (const item of ports) {
    let port: number | undefined;
    if (typeof item === 'number') port = item;
    else if (typeof item === 'string')
      port = Number.parseInt(item.split('/')[0]?.split(':').at(-1) ?? '', 10);
    else if (isRecord(item)) port = Number(item.target);
    if (port !== undefined && Number.isInteger(port) && port > 0 && port < 65536) out.push(port);
  }
  return out;
}

const TRAEFIK_PORT = /^traefik\.http\.services\.[\w.-]{1,100}\.loadbalancer\.server\.port$/;

/** A Traefik service port among `labels` in list (`key=value`) or map form. */
function proxyPortOf(
  labels: unknown,
  evidence: () => Evidence,
): { port: number; evidence: Evidence } | null {
  const pairs: Array<[string, unknown]> = Array.isArray(labels)
    ? labels
        .filter((item): item is string => typeof item === 'string')
        .map((item) => [
          item.slice(0, Math.max(0, item.indexOf('='))),
          item.slice(item.indexOf('=') + 1),
        ])
    : isRecord(labels)
      ? Object.entries(labels)
      : [];
  for (const [key, value] of pairs) {
    if (!TRAEFIK_PORT.test(key.trim())) continue;
    const port = Number(String(value).trim());
    if (Number.isInteger(port) && port > 0 && port < 65536) return { port, evidence: evidence() };
  }
  return null;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
