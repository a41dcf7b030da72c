/**
 * Assembles services. A project (a folder with a build manifest) is a service when something
 * says it runs: a server framework, a start script, a Dockerfile or compose build pointing at
 * it, or an entry point (Go `main`, Python app object, @SpringBootApplication). Libraries and
 * workspace roots are not services. Compose services built from a folder without a manifest
 * become services too, described by what compose and the Dockerfile say. A compose or CI build
 * belongs to the folder buildOwner names (its context, or the project holding its Dockerfile).
 */
import { baseName, ev, joinPath } from '../evidence.ts';
import type { Evidence, Service } from '../fingerprint.ts';
import type { GapList } from '../gap-list.ts';
import type { ProjectManifest } from '../manifest.ts';
import type { CiBuild } from '../parsers/ci-docker-build.ts';
import { startCommandOf } from '../parsers/dockerfile.ts';
import type { ParsedDockerfile } from '../parsers/dockerfile.ts';
import { parseEnvFile } from '../parsers/env-file.ts';
import type { RepoView } from '../repo-view.ts';
import { buildOwner, chooseBuild } from './build-spec.ts';
import type { BuildSources, ChosenBuild } from './build-spec.ts';
import { detectMigrations, detectOrm, detectQueues } from './data.ts';
import { detectHealth } from './health.ts';
import type { HealthInputs } from './health.ts';
import type { ComposeIndex, HelmProbes, K8sIndex } from './infra.ts';
import type { ManifestIndex } from './manifests.ts';
import { detectEnvVars, detectPort, detectStartCommand } from './runtime.ts';
import type { RuntimeInputs } from './runtime.ts';
import { scanProject } from './scan-project.ts';
import { detectFramework, detectLanguage, detectPackaging } from './stack.ts';
import { detectCoverage, detectTests } from './testing.ts';
import { reportServiceGaps } from './service-gaps.ts';

export interface ServiceInputs {
  view: RepoView;
  gaps: GapList;
  manifests: ManifestIndex;
  dockerfiles: Map<string, ParsedDockerfile>;
  compose: ComposeIndex;
  ciBuilds: CiBuild[];
  k8s: K8sIndex;
  helmProbes: HelmProbes[];
}

type ComposeEntry = ComposeIndex['services'][number];

/** Compose services and CI builds by the folder whose image they build. */
interface BuildsByDir {
  compose: Map<string, ComposeEntry[]>;
  ci: Map<string, CiBuild[]>;
}

export async function buildServices(inputs: ServiceInputs): Promise<Service[]> {
  const { view, manifests } = inputs;
  const projectDirs = new Set(manifests.manifests.map((manifest) => manifest.dir));
  const dirs = [...projectDirs];
  const owners = manifests.manifests.filter((m) => !m.aggregator).map((m) => m.dir);
  const builds = assignBuilds(inputs, owners);
  const services: Service[] = [];
  const budget = { files: 0 };
  for (const manifest of manifests.manifests) {
    if (manifest.aggregator) continue;
    // Files of nested projects belong to them, not to this one.
    const ownFiles = view.underExcept(manifest.dir, dirs);
    const service = await describeProject(manifest, ownFiles, inputs, builds, budget);
    if (service) services.push(service);
  }
  services.push(...(await composeOnlyServices(inputs, builds, projectDirs)));
  return services.sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : a.name < b.name ? -1 : 1,
  );
}

function assignBuilds(inputs: ServiceInputs, owners: readonly string[]): BuildsByDir {
  const out: BuildsByDir = { compose: new Map(), ci: new Map() };
  const add = <T>(map: Map<string, T[]>, dir: string, item: T) =>
    map.set(dir, [...(map.get(dir) ?? []), item]);
  for (const composed of inputs.compose.services) {
    if (composed.build === null) continue;
    const owner = composed.buildSpec ? buildOwner(composed.buildSpec, owners) : undefined;
    add(out.compose, owner ?? composed.build, composed);
  }
  for (const build of inputs.ciBuilds) {
    const owner = buildOwner(build, owners);
    if (owner !== undefined) add(out.ci, owner, build);
  }
  return out;
}

function buildSourcesOf(dir: string, builds: BuildsByDir): BuildSources {
  return {
    compose: (builds.compose.get(dir) ?? []).flatMap((composed) =>
      composed.buildSpec ? [{ ...composed.buildSpec, file: composed.file }] : [],
    ),
    ci: builds.ci.get(dir) ?? [],
  };
}

async function describeProject(
  manifest: ProjectManifest,
  ownFiles: string[],
  inputs: ServiceInputs,
  builds: BuildsByDir,
  budget: { files: number },
): Promise<Service | null> {
  const { view } = inputs;
  const primary = manifest.files[0] ?? '';
  const scan = await scanProject(manifest, ownFiles, view, budget);
  const framework = detectFramework(manifest, scan.facts);
  const composeServices = builds.compose.get(manifest.dir) ?? [];
  const chosen = chooseBuild(
    manifest.dir,
    buildSourcesOf(manifest.dir, builds),
    view,
    inputs.dockerfiles,
  );
  const dockerfile = chosen?.dockerfile ?? null;
  const procfile = await readProcfile(view, manifest.dir);
  const runs =
    framework !== null ||
    manifest.scripts.has('start') ||
    dockerfile !== null ||
    composeServices.length > 0 ||
    procfile !== null ||
    scan.facts.entries.some((entry) => entry.kind !== 'net-http');
  if (!runs) return null;

  const packaging = detectPackaging(manifest, view, inputs.manifests.pinnedRequirements);
  const runtime: RuntimeInputs = {
    manifest,
    framework,
    packageManager: packaging.packageManager,
    dockerfile,
    compose: composeServices,
    facts: scan.facts,
    configPorts: scan.configPorts,
    procfile,
    ownFiles,
  };
  const documented = await documentedEnv(view, manifest.dir);
  const name = serviceName(manifest, composeServices);
  const service: Service = {
    name,
    path: manifest.dir,
    language: detectLanguage(manifest, view, ownFiles),
    framework,
    packageManager: packaging.packageManager,
    lockfile: packaging.lockfile,
    port: detectPort(runtime),
    dockerfile: dockerfile ? dockerfileClaim(dockerfile) : null,
    build: chosen?.build ?? null,
    startCommand: detectStartCommand(runtime),
    healthEndpoint: await detectHealth({
      ...healthSources(inputs, manifest.dir, name, composeServices, chosen),
      framework,
      manifest,
      facts: scan.facts,
      ownFiles,
    }),
    envVars: detectEnvVars(runtime, documented),
    orm: await detectOrm(manifest, framework, ownFiles, view),
    migrations: await detectMigrations(manifest, ownFiles, view),
    queues: detectQueues(manifest),
    tests: detectTests(manifest, ownFiles, view),
    coverageConfig: await detectCoverage(manifest, ownFiles, view),
  };
  reportServiceGaps(inputs.gaps, service, {
    manifestEvidence: ev(primary),
    lockfileExpected: packaging.lockfileExpected,
    sourceEnv: scan.facts.envVars,
    documented: new Set(documented.map((item) => item.name)),
    hasEnvTemplate: documented.length > 0,
  });
  return service;
}

/** What the health detector needs besides the source scan, for any kind of service. */
function healthSources(
  inputs: ServiceInputs,
  dir: string,
  name: string,
  composeServices: ComposeEntry[],
  chosen: ChosenBuild | null,
): Omit<HealthInputs, 'framework' | 'manifest' | 'facts' | 'ownFiles'> {
  const names = new Set(
    [name, name.split('/').at(-1) ?? name, baseName(dir), ...composeServices.map((s) => s.name)]
      .filter((item) => item !== '' && item !== '.')
      .map((item) => item.toLowerCase()),
  );
  return {
    view: inputs.view,
    dir,
    names,
    dockerfile: chosen?.dockerfile ?? null,
    buildContext: chosen?.build.value.context ?? null,
    compose: composeServices,
    k8s: inputs.k8s.containers,
    helm: inputs.helmProbes,
  };
}

function dockerfileClaim(
  dockerfile: NonNullable<RuntimeInputs['dockerfile']>,
): Service['dockerfile'] {
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

async function readProcfile(
  view: RepoView,
  dir: string,
): Promise<{ command: string; evidence: Evidence } | null> {
  const path = joinPath(dir, 'Procfile');
  const text = view.has(path) ? await view.text(path) : undefined;
  if (!text) return null;
  const lines = text.split(/\r?\n/);
  const index = lines.findIndex((line) => /^web\s*:/.test(line));
  return index < 0
    ? null
    : {
        command: (lines[index] ?? '').replace(/^web\s*:\s*/, '').trim(),
        evidence: ev(path, index + 1),
      };
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
async function documentedEnv(
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

function serviceName(manifest: ProjectManifest, composeServices: ComposeIndex['services']): string {
  if (manifest.name)
    return manifest.ecosystem === 'go'
      ? (manifest.name.split('/').at(-1) ?? manifest.name)
      : manifest.name;
  if (composeServices[0]) return composeServices[0].name;
  return manifest.dir === '.' ? 'app' : baseName(manifest.dir);
}

async function composeOnlyServices(
  inputs: ServiceInputs,
  builds: BuildsByDir,
  projectDirs: Set<string>,
): Promise<Service[]> {
  const out: Service[] = [];
  for (const [dir, group] of [...builds.compose].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const composed = group[0];
    if (projectDirs.has(dir) || !composed) continue;
    const chosen = chooseBuild(dir, buildSourcesOf(dir, builds), inputs.view, inputs.dockerfiles);
    const dockerfile = chosen?.dockerfile ?? null;
    const port = composed.ports[0] ?? dockerfile?.stage.exposes[0]?.port;
    const start = dockerfile ? startCommandOf(dockerfile.stage) : undefined;
    const sources = healthSources(inputs, dir, composed.name, group, chosen);
    out.push({
      name: composed.name,
      path: dir,
      language: null,
      framework: null,
      packageManager: null,
      lockfile: null,
      port: port ? { value: port, evidence: composed.evidence } : null,
      dockerfile: dockerfile ? dockerfileClaim(dockerfile) : null,
      build: chosen?.build ?? null,
      startCommand:
        start && dockerfile
          ? { value: start.command, evidence: [ev(dockerfile.path, start.line)] }
          : null,
      healthEndpoint: await detectHealth({
        ...sources,
        framework: null,
        manifest: null,
        facts: null,
        ownFiles: [],
      }),
      envVars: composed.env.map((item) => ({ value: item.name, evidence: [item.evidence] })),
      orm: null,
      migrations: null,
      queues: [],
      tests: null,
      coverageConfig: null,
    });
  }
  return out;
}
