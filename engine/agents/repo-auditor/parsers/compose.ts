/**
 * Docker Compose files (compose-spec): the services, their image or build context, container
 * ports, environment variable names and health checks, each with the line it is declared on.
 * https://github.com/compose-spec/compose-spec/blob/main/spec.md
 */
import { dirOf, ev, joinPath } from '../evidence.ts';
import type { ComposeService, Evidence } from '../fingerprint.ts';
import { parseYaml } from './yaml-safe.ts';

export interface ComposeServiceDetail extends ComposeService {
  env: Array<{ name: string; evidence: Evidence }>;
  dockerfile: string | null;
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

function buildOf(build: unknown): { context: string; dockerfile?: string } | undefined {
  if (typeof build === 'string') return { context: build };
  if (isRecord(build)) {
    const context = typeof build.context === 'string' ? build.context : '.';
    return typeof build.dockerfile === 'string'
      ? { context, dockerfile: build.dockerfile }
      : { context };
  }
  return undefined;
}

/** Container-side ports of `ports:` in short ("8080:80", "3000", "127.0.0.1:80:80/tcp") or long form. */
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

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
