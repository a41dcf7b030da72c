/**
 * Assembles services. A project (a folder with a build manifest) is a service when something
 * says it runs: a server framework, a start script, a Dockerfile or compose build pointing at
 * it, or an entry point (Go `main`, Python app object, @SpringBootApplication). Libraries and
 * workspace roots are not services. Compose services built from a folder without a manifest
 * become services too, described by what compose and the Dockerfile say. A compose or CI build
 * belongs to the folder buildOwner names (its context, or the project holding its Dockerfile),
 * except a vendor program built in a project's folder (a mail catcher, a database image): it is
 * not that project's code. Compose services that run the app (web, then workers) describe its
 * build before one-shot jobs, development tools and test runners (compose-roles.ts). Several
 * manifests in one folder (a Django app with a package.json for its linters) are one service:
 * a manifest whose only sign of running is the folder's Dockerfile, compose build or Procfile
 * is not a service when another manifest of that folder runs by itself.
 */
import { baseName, claimOf, ev } from '../evidence.ts';
import type { Service } from '../fingerprint.ts';
import type { GapList } from '../gap-list.ts';
import type { ProjectManifest } from '../manifest.ts';
import type { CiBuild } from '../parsers/ci-docker-build.ts';
import { startCommandOf } from '../parsers/dockerfile.ts';
import type { ParsedDockerfile } from '../parsers/dockerfile.ts';
import type { RepoView } from '../repo-view.ts';
import { buildOwner, chooseBuild } from './build-spec.ts';
import type { BuildSources, ChosenBuild } from './build-spec.ts';
import { detectMigrations, detectOrm, detectQueues } from './data.ts';
import { detectHealth } from './health.ts';
import type { HealthInputs } from './health.ts';
import type { ComposeEntry, ComposeRoles } from './compose-roles.ts';
import type { ComposeIndex, HelmProbes, K8sIndex } from './infra.ts';
import type { ManifestIndex } from './manifests.ts';
import { detectEnvVars, detectPort, detectStartCommand } from './runtime.ts';
import type { RuntimeInputs } from './runtime.ts';
import { scanProject } from './scan-project.ts';
import type { SourceFacts } from './source-scan.ts';
import {
  detectFramework,
  detectLanguage,
  detectMetrics,
  detectPackaging,
  type PackagingFacts,
} from './stack.ts';
import { isWorkspaceMember } from './workspace-member.ts';
import { detectCoverage, detectTests } from './testing.ts';
import { reportServiceGaps } from './service-gaps.ts';
import { dockerfileClaim, documentedEnv, readProcfile } from './service-files.ts';

export interface ServiceInputs {
  view: RepoView;
  gaps: GapList;
  manifests: ManifestIndex;
  dockerfiles: Map<string, ParsedDockerfile>;
  compose: ComposeIndex;
  ciBuilds: CiBuild[];
  k8s: K8sIndex;
  helmProbes: HelmProbes[];
  composeRoles: ComposeRoles;
}

/** A service with what the process model needs to know about it besides the claims. */
export interface BuiltService {
  service: Service;
  manifest: ProjectManifest | null;
  chosen: ChosenBuild | null;
  /** Compose services whose build is this service's, app processes first. */
  compose: ComposeEntry[];
  /** Entry points found in its source (Python app objects, Go main). */
  entries: SourceFacts['entries'];
}

/** Compose services that run the app describe its build before jobs, tools and test runners. */
const ROLE_RANK: Record<string, number> = {
  web: 0,
  proxy: 0,
  worker: 1,
  scheduler: 1,
  job: 2,
  'dev-tool': 3,
  'test-runner': 4,
  'backing-store': 5,
};

/** Compose services and CI builds by the folder whose image they build. */
interface BuildsByDir {
  compose: Map<string, ComposeEntry[]>;
  ci: Map<string, CiBuild[]>;
}

export async function buildServices(inputs: ServiceInputs): Promise<BuiltService[]> {
  const { view, manifests } = inputs;
  const projectDirs = new Set(manifests.manifests.map((manifest) => manifest.dir));
  const dirs = [...projectDirs];
  const owners = manifests.manifests.filter((m) => !m.aggregator).map((m) => m.dir);
  const builds = assignBuilds(inputs, owners);
  const described: Described[] = [];
  const budget = { files: 0 };
  for (const manifest of manifests.manifests) {
    if (manifest.aggregator) continue;
    // Files of nested projects belong to them, not to this one.
    const ownFiles = view.underExcept(manifest.dir, dirs);
    const found = await describeProject(manifest, ownFiles, inputs, builds, budget);
    if (found) described.push(found);
  }
  const services: BuiltService[] = [];
  for (const found of described) {
    const runner = (other: Described) =>
      other !== found && other.built.service.path === found.built.service.path && other.runsItself;
    if (!found.runsItself && described.some(runner)) continue;
    found.reportGaps();
    services.push(found.built);
  }
  services.push(...(await composeOnlyServices(inputs, builds, projectDirs)));
  return services.sort(({ service: a }, { service: b }) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : a.name < b.name ? -1 : 1,
  );
}

/**
 * A Node lockfile found above the project counts only when the project is a member of that
 * folder's workspace; otherwise the project installs on its own, with no lockfile.
 */
async function outsideWorkspace(
  packaging: PackagingFacts,
  manifest: ProjectManifest,
  view: RepoView,
): Promise<PackagingFacts> {
  const lockfile = packaging.lockfile?.value;
  if (manifest.ecosystem !== 'node' || !lockfile) return packaging;
  const slash = lockfile.lastIndexOf('/');
  const root = slash < 0 ? '.' : lockfile.slice(0, slash);
  if (root === manifest.dir || (await isWorkspaceMember(view, root, manifest.dir)))
    return packaging;
  return {
    ...packaging,
    lockfile: null,
    packageManager:
      manifest.declaredPackageManager ?? claimOf('npm', ev(manifest.files[0] ?? 'package.json')),
  };
}

/** Next.js serves `app/` or `pages/` (or `src/app`, `src/pages`) of the project's own folder. */
function hasNextRoutes(ownFiles: string[], dir: string): boolean {
  const prefix = dir === '.' || dir === '' ? '' : `${dir.replace(/\/+$/, '')}/`;
  return ownFiles.some((file) => {
    const inside = file.startsWith(prefix) ? file.slice(prefix.length) : file;
    return /^(?:src\/)?(?:app|pages)\//.test(inside);
  });
}

interface Described {
  built: BuiltService;
  /** A framework, start script or entry point says it runs, not only its folder's build files. */
  runsItself: boolean;
  reportGaps: () => void;
}

function assignBuilds(inputs: ServiceInputs, owners: readonly string[]): BuildsByDir {
  const out: BuildsByDir = { compose: new Map(), ci: new Map() };
  const add = <T>(map: Map<string, T[]>, dir: string, item: T) =>
    map.set(dir, [...(map.get(dir) ?? []), item]);
  for (const composed of inputs.compose.services) {
    if (composed.build === null) continue;
    const owner = composed.buildSpec ? buildOwner(composed.buildSpec, owners) : undefined;
    // A mail catcher or database built in a project's folder runs none of the project's code.
    if (owner !== undefined && inputs.composeRoles.get(composed)?.vendor) continue;
    add(out.compose, owner ?? composed.build, composed);
  }
  for (const [dir, group] of out.compose)
    out.compose.set(dir, sortByRole(group, inputs.composeRoles));
  for (const build of inputs.ciBuilds) {
    const owner = buildOwner(build, owners);
    if (owner !== undefined) add(out.ci, owner, build);
  }
  return out;
}

/** App processes first (web, then workers), then jobs, tools and test runners; stable. */
function sortByRole(group: ComposeEntry[], roles: ComposeRoles): ComposeEntry[] {
  const rank = (entry: ComposeEntry) => ROLE_RANK[roles.get(entry)?.role ?? 'web'] ?? 0;
  return group
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => rank(a.entry) - rank(b.entry) || a.index - b.index)
    .map(({ entry }) => entry);
}

function buildSourcesOf(dir: string, builds: BuildsByDir, roles: ComposeRoles): BuildSources {
  return {
    compose: (builds.compose.get(dir) ?? []).flatMap((composed) =>
      composed.buildSpec
        ? [
            {
              ...composed.buildSpec,
              file: composed.file,
              rank: ROLE_RANK[roles.get(composed)?.role ?? 'web'] ?? 0,
            },
          ]
        : [],
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
): Promise<Described | null> {
  const { view } = inputs;
  const primary = manifest.files[0] ?? '';
  const scan = await scanProject(manifest, ownFiles, view, budget);
  const framework = detectFramework(manifest, scan.facts);
  const composeServices = builds.compose.get(manifest.dir) ?? [];
  const chosen = chooseBuild(
    manifest.dir,
    buildSourcesOf(manifest.dir, builds, inputs.composeRoles),
    view,
    inputs.dockerfiles,
  );
  const dockerfile = chosen?.dockerfile ?? null;
  const procfile = await readProcfile(view, manifest.dir);
  const runsItself =
    framework !== null ||
    manifest.scripts.has('start') ||
    scan.facts.entries.some((entry) => entry.kind !== 'net-http');
  const runs = runsItself || dockerfile !== null || composeServices.length > 0 || procfile !== null;
  if (!runs) return null;
  // `next start` with no app/ or pages/ folder of its own: a workspace root that shares Next.js
  // with its examples (vercel/next-learn), not an app — it has nothing to build or serve.
  if (
    framework?.value === 'nextjs' &&
    dockerfile === null &&
    composeServices.length === 0 &&
    !hasNextRoutes(ownFiles, manifest.dir)
  )
    return null;

  const packaging = await outsideWorkspace(
    detectPackaging(manifest, view, inputs.manifests.pinnedRequirements),
    manifest,
    view,
  );
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
    metrics: detectMetrics(manifest),
  };
  const reportGaps = () =>
    reportServiceGaps(inputs.gaps, service, {
      manifestEvidence: ev(primary),
      lockfileExpected: packaging.lockfileExpected,
      sourceEnv: scan.facts.envVars,
      documented: new Set(documented.map((item) => item.name)),
      hasEnvTemplate: documented.length > 0,
    });
  return {
    built: { service, manifest, chosen, compose: composeServices, entries: scan.facts.entries },
    runsItself,
    reportGaps,
  };
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
): Promise<BuiltService[]> {
  const out: BuiltService[] = [];
  for (const [dir, group] of [...builds.compose].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const composed = group[0];
    if (projectDirs.has(dir) || !composed) continue;
    const chosen = chooseBuild(
      dir,
      buildSourcesOf(dir, builds, inputs.composeRoles),
      inputs.view,
      inputs.dockerfiles,
    );
    const dockerfile = chosen?.dockerfile ?? null;
    // What compose says the container listens on: published, proxied to, exposed; else EXPOSE.
    const port =
      composed.ports[0] ??
      composed.proxyPort?.port ??
      composed.expose[0] ??
      dockerfile?.stage.exposes[0]?.port;
    const start = dockerfile ? startCommandOf(dockerfile.stage) : undefined;
    const sources = healthSources(inputs, dir, composed.name, group, chosen);
    const service: Service = {
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
    };
    out.push({ service, manifest: null, chosen, compose: group, entries: [] });
  }
  return out;
}
