/**
 * The service's health endpoint, from the most to the least direct evidence: a health library's
 * route (NestJS Terminus, Flask-Healthz, django-health-check), a health-like route the code
 * registers (Nest global prefix and Django include prefix applied), a Next.js route handler,
 * Spring Boot Actuator, the URL the image's HEALTHCHECK or compose `healthcheck:` calls (also
 * when it runs a script that names it), and last the HTTP probes of the repository's own
 * Kubernetes manifests and Helm charts for a container of this service. No evidence, no claim:
 * the runtime then falls back to a TCP check. See ../HEURISTICS.md.
 */
import { baseName, claimOf, dirOf, ev, joinPath, lineAt, relativeTo } from '../evidence.ts';
import type { Claim, Evidence } from '../fingerprint.ts';
import type { ProjectManifest } from '../manifest.ts';
import type { ComposeServiceDetail } from '../parsers/compose.ts';
import type { DockerStage } from '../parsers/dockerfile.ts';
import { imageName } from '../parsers/k8s-probes.ts';
import type { HttpProbe, K8sContainer } from '../parsers/k8s-probes.ts';
import type { RepoView } from '../repo-view.ts';
import type { HelmProbes } from './infra.ts';
import { healthRank, isMachineMadePath, normalizeRoute } from './source-scan.ts';
import type { SourceFacts } from './source-scan.ts';

export interface HealthInputs {
  view: RepoView;
  /** Service folder. */
  dir: string;
  /** Lower-case names a Kubernetes workload, container or image of this service may carry. */
  names: ReadonlySet<string>;
  framework: Claim<string> | null;
  manifest: ProjectManifest | null;
  facts: SourceFacts | null;
  ownFiles: readonly string[];
  dockerfile: { path: string; stage: DockerStage } | null;
  /** The build context, where a HEALTHCHECK script is copied from. */
  buildContext: string | null;
  compose: readonly ComposeServiceDetail[];
  k8s: readonly K8sContainer[];
  helm: readonly HelmProbes[];
}

export async function detectHealth(input: HealthInputs): Promise<Claim<string> | null> {
  const fromCode = libraryRoute(input) ?? codeRoute(input);
  if (fromCode) return fromCode;
  const actuator = input.manifest?.deps.get('spring-boot-starter-actuator');
  if (actuator) return claimOf('/actuator/health', actuator);
  const docker = input.dockerfile?.stage.healthcheck;
  if (docker && input.dockerfile) {
    const found = await commandPath(input, docker.command, ev(input.dockerfile.path, docker.line));
    if (found) return found;
  }
  for (const service of input.compose) {
    if (!service.healthcheck) continue;
    const found = await commandPath(
      input,
      service.healthcheck.command,
      service.healthcheck.evidence,
    );
    if (found) return found;
  }
  return probePath(input);
}

/** Routes of health libraries: they say exactly which path answers. */
function libraryRoute(input: HealthInputs): Claim<string> | null {
  const health = input.facts?.frameworkHealth;
  if (!health) return null;
  const terminus = input.manifest?.deps.get('@nestjs/terminus');
  const check = health.terminus[0];
  if (terminus && check) {
    const path = withNestPrefix(input, check.path);
    return claimOf(path.path, ...check.evidence, ...path.evidence, terminus);
  }
  const registration = health.healthzPrefixes[0];
  const name =
    health.healthzChecks.find((item) => item.name === 'ready') ??
    health.healthzChecks.find((item) => item.name === 'live');
  if (registration && name) {
    const path = `/${[registration.prefix, name.name].join('/')}`.replace(/\/{2,}/g, '/');
    return claimOf(path, registration.evidence, name.evidence);
  }
  for (const wiring of health.djangoHealth) {
    const path = djangoPath(input, wiring.file, wiring.route);
    if (path) return claimOf(path.path, wiring.evidence, ...path.evidence);
  }
  return null;
}

/** Health-like routes the code registers, and Next.js route handlers; the most specific wins. */
function codeRoute(input: HealthInputs): Claim<string> | null {
  const routes: Array<{ path: string; evidence: Evidence[] }> = [];
  for (const route of input.facts?.healthRoutes ?? []) {
    if (route.kind === 'nest') {
      const path = withNestPrefix(input, route.path);
      routes.push({ path: path.path, evidence: [route.evidence, ...path.evidence] });
    } else if (route.kind === 'django') {
      const path = djangoPath(input, route.evidence.file, route.path);
      if (path) routes.push({ path: path.path, evidence: [route.evidence, ...path.evidence] });
    } else routes.push({ path: route.path, evidence: [route.evidence] });
  }
  if (input.framework?.value === 'nextjs') {
    for (const file of input.ownFiles) {
      const route = nextRoute(relativeTo(input.dir, file));
      if (route && healthRank(route) < 8 && !isMachineMadePath(file))
        routes.push({ path: route, evidence: [ev(file)] });
    }
  }
  const best = routes.sort((a, b) => healthRank(a.path) - healthRank(b.path))[0];
  return best ? claimOf(best.path, ...best.evidence) : null;
}

const NEXT_APP_ROUTE = /^(?:src\/)?app\/(.+)\/route\.[cm]?[jt]sx?$/;
const NEXT_API_PAGE = /^(?:src\/)?pages\/(api\/.+)\.[cm]?[jt]sx?$/;

/** The URL path of a Next.js route handler or API route file; route groups `(x)` are not in it. */
export function nextRoute(file: string): string | undefined {
  const match = NEXT_APP_ROUTE.exec(file) ?? NEXT_API_PAGE.exec(file);
  if (!match?.[1]) return undefined;
  const segments = match[1].split('/').filter((s) => !/^\(.*\)$/.test(s) && !s.startsWith('@'));
  if (segments.at(-1) === 'index') segments.pop();
  if (segments.some((s) => s.startsWith('_') || s.startsWith('['))) return undefined;
  return normalizeRoute(segments.join('/'));
}

function withNestPrefix(
  input: HealthInputs,
  route: string,
): { path: string; evidence: Evidence[] } {
  const prefix = input.facts?.frameworkHealth.nestPrefixes[0];
  if (!prefix) return { path: route, evidence: [] };
  const first = route.split('/').find(Boolean) ?? '';
  if (/\bexclude\b/.test(prefix.call) && first !== '' && prefix.call.includes(first))
    return { path: route, evidence: [] };
  const path = normalizeRoute(`/${prefix.prefix.replace(/^\/+|\/+$/g, '')}${route}`);
  return { path, evidence: [prefix.evidence] };
}

/**
 * A Django route from `file` as the site serves it: as written when `file` is the root URLconf
 * (or none is declared), under the prefix the root URLconf includes it with, else unknown.
 */
function djangoPath(
  input: HealthInputs,
  file: string,
  route: string,
): { path: string; evidence: Evidence[] } | undefined {
  const health = input.facts?.frameworkHealth;
  const root = health?.rootUrlconf[0];
  const module = relativeTo(input.dir, file).replace(/\.py$/, '').replace(/\//g, '.');
  const isModule = (name: string) => module === name || module.endsWith(`.${name}`);
  if (!root || isModule(root.module)) return { path: route, evidence: [] };
  const include = health.djangoIncludes.find((item) => isModule(item.module));
  if (!include) return undefined;
  return {
    path: `${include.route.replace(/\/+$/, '')}${route}`.replace(/\/{2,}/g, '/'),
    evidence: [include.evidence],
  };
}

const URL_IN_COMMAND = /https?:\/\/[^/\s'"]+(\/[^\s'"]*)/;
const LOCAL_URL =
  /(?:^|[\s'"=])(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::[\w${}]+)?(\/[^\s'"]*)/;
const SCRIPT = /(?:^|\s)(?:node|python3?|sh|bash)\s+(?:\.\/)?([\w./-]+\.(?:[cm]?js|py|sh))(?:\s|$)/;

/** The URL path a health check command calls, directly or through a script it runs. */
async function commandPath(
  input: HealthInputs,
  command: string,
  evidence: Evidence,
): Promise<Claim<string> | null> {
  const direct = urlPath(command);
  if (direct) return claimOf(direct, evidence);
  const script = SCRIPT.exec(command)?.[1];
  const file = script ? findScript(input, script) : undefined;
  const text = file ? await input.view.text(file) : undefined;
  if (!file || text === undefined) return null;
  const literal = /\bpath\s*[:=]\s*['"`](\/[^'"`\s]*)['"`]/.exec(text);
  if (literal)
    return claimOf(
      normalizeRoute(literal[1] ?? ''),
      evidence,
      ev(file, lineAt(text, literal.index)),
    );
  const url = URL_IN_COMMAND.exec(text) ?? LOCAL_URL.exec(text);
  if (url?.[1]) return claimOf(normalizeRoute(url[1]), evidence, ev(file, lineAt(text, url.index)));
  return null;
}

function urlPath(command: string): string | undefined {
  const match = URL_IN_COMMAND.exec(command) ?? LOCAL_URL.exec(command);
  return match?.[1] ? normalizeRoute(match[1]) : undefined;
}

/** The repository file a HEALTHCHECK script is: in the service folder or the build context. */
function findScript(input: HealthInputs, script: string): string | undefined {
  const roots = [input.dir, input.buildContext ?? input.dir];
  for (const root of roots) {
    const path = joinPath(root, script);
    if (input.view.has(path) && !isMachineMadePath(path)) return path;
  }
  const name = baseName(script);
  return input.view
    .under(input.dir)
    .filter((path) => baseName(path) === name && !isMachineMadePath(path))
    .sort((a, b) => a.split('/').length - b.split('/').length)[0];
}

const PROBE_ORDER = { readiness: 0, liveness: 1, startup: 2 } as const;

/** The HTTP probe path of a Kubernetes or Helm container that runs this service. */
function probePath(input: HealthInputs): Claim<string> | null {
  const matches = (name: string | null | undefined) =>
    !!name && input.names.has(name.toLowerCase());
  const byImage = input.k8s.filter((c) => c.image !== null && matches(imageName(c.image)));
  const byName = input.k8s.filter((c) => matches(c.name) || matches(c.workload));
  const best = (probes: HttpProbe[]) =>
    [...probes].sort((a, b) => PROBE_ORDER[a.kind] - PROBE_ORDER[b.kind])[0];
  for (const containers of [byImage, byName]) {
    const probe = best(containers.flatMap((c) => c.probes));
    if (probe) return claimOf(probe.path, probe.evidence);
  }
  for (const chart of input.helm) {
    const template = baseName(chart.template).replace(/\.(?:ya?ml|tpl)$/, '');
    const ours =
      chart.images.some((image) => matches(imageName(image))) ||
      matches(template) ||
      (matches(chart.chart.name) && dirOf(chart.template).endsWith('templates'));
    const probe = ours ? best(chart.probes) : undefined;
    if (probe) return claimOf(probe.path, probe.evidence);
  }
  return null;
}
