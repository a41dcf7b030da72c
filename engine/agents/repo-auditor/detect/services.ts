/**
 * Assembles services. A project (a folder with a build manifest) is a service when something
 * says it runs: a server framework, a start script, a Dockerfile or compose build pointing at
 * it, or an entry point (Go `main`, Python app object, @SpringBootApplication). Libraries and
 * workspace roots are not services. Compose services built from a folder without a manifest
 * become services too, described by what compose and the Dockerfile say.
 */
import { baseName, ev, isDirectChild, joinPath } from '../evidence.ts';
import type { Evidence, Service } from '../fingerprint.ts';
import type { GapList } from '../gap-list.ts';
import type { ProjectManifest } from '../manifest.ts';
import { startCommandOf } from '../parsers/dockerfile.ts';
import type { ParsedDockerfile } from '../parsers/dockerfile.ts';
import { parseEnvFile } from '../parsers/env-file.ts';
import type { RepoView } from '../repo-view.ts';
import { detectMigrations, detectOrm, detectQueues } from './data.ts';
import type { ComposeIndex } from './infra.ts';
import type { ManifestIndex } from './manifests.ts';
import { detectEnvVars, detectHealth, detectPort, detectStartCommand } from './runtime.ts';
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
}

export async function buildServices(inputs: ServiceInputs): Promise<Service[]> {
  const { view, manifests } = inputs;
  const projectDirs = new Set(manifests.manifests.map((manifest) => manifest.dir));
  const dirs = [...projectDirs];
  const services: Service[] = [];
  const budget = { files: 0 };
  for (const manifest of manifests.manifests) {
    if (manifest.aggregator) continue;
    // Files of nested projects belong to them, not to this one.
    const ownFiles = view.underExcept(manifest.dir, dirs);
    const service = await describeProject(manifest, ownFiles, inputs, budget);
    if (service) services.push(service);
  }
  services.push(...composeOnlyServices(inputs, projectDirs));
  return services.sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : a.name < b.name ? -1 : 1,
  );
}

async function describeProject(
  manifest: ProjectManifest,
  ownFiles: string[],
  inputs: ServiceInputs,
  budget: { files: number },
): Promise<Service | null> {
  const { view, compose } = inputs;
  const primary = manifest.files[0] ?? '';
  const scan = await scanProject(manifest, ownFiles, view, budget);
  const framework = detectFramework(manifest, scan.facts);
  const composeServices = compose.services.filter((service) => service.build === manifest.dir);
  const dockerfile = findDockerfile(manifest.dir, composeServices, inputs.dockerfiles);
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
  const service: Service = {
    name: serviceName(manifest, composeServices),
    path: manifest.dir,
    language: detectLanguage(manifest, view, ownFiles),
    framework,
    packageManager: packaging.packageManager,
    lockfile: packaging.lockfile,
    port: detectPort(runtime),
    dockerfile: dockerfile ? dockerfileClaim(dockerfile) : null,
    startCommand: detectStartCommand(runtime),
    healthEndpoint: detectHealth(runtime),
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

function findDockerfile(
  dir: string,
  composeServices: ComposeIndex['services'],
  dockerfiles: Map<string, ParsedDockerfile>,
): RuntimeInputs['dockerfile'] {
  const candidates = [
    ...composeServices.map(
      (service) => service.dockerfile ?? joinPath(service.build ?? dir, 'Dockerfile'),
    ),
    joinPath(dir, 'Dockerfile'),
    ...[...dockerfiles.keys()].filter((file) => isDirectChild(file, dir)).sort(),
  ];
  for (const path of candidates) {
    const stage = dockerfiles.get(path)?.stages.at(-1);
    if (stage) return { path, stage };
  }
  return null;
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

function composeOnlyServices(inputs: ServiceInputs, projectDirs: Set<string>): Service[] {
  const out: Service[] = [];
  const seen = new Set<string>();
  for (const composed of inputs.compose.services) {
    if (composed.build === null || projectDirs.has(composed.build) || seen.has(composed.build))
      continue;
    seen.add(composed.build);
    const dockerfile = findDockerfile(composed.build, [composed], inputs.dockerfiles);
    const port = composed.ports[0] ?? dockerfile?.stage.exposes[0]?.port;
    const start = dockerfile ? startCommandOf(dockerfile.stage) : undefined;
    out.push({
      name: composed.name,
      path: composed.build,
      language: null,
      framework: null,
      packageManager: null,
      lockfile: null,
      port: port ? { value: port, evidence: composed.evidence } : null,
      dockerfile: dockerfile ? dockerfileClaim(dockerfile) : null,
      startCommand:
        start && dockerfile
          ? { value: start.command, evidence: [ev(dockerfile.path, start.line)] }
          : null,
      healthEndpoint: null,
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
