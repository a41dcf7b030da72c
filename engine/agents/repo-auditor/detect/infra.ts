/**
 * Deployment and delivery files: Dockerfiles, compose files, Kubernetes manifests, Helm charts,
 * CI configurations and the monorepo tool. Everything here is repository-wide; services.ts
 * links the relevant parts to each service.
 */
import { claimOf, dirOf, ev, findLine } from '../evidence.ts';
import type { CiConfig, Claim, ComposeFile, HelmChart, K8sManifest } from '../fingerprint.ts';
import type { GapList } from '../gap-list.ts';
import { isComposeFile, isRecord, parseCompose } from '../parsers/compose.ts';
import type { ComposeServiceDetail } from '../parsers/compose.ts';
import { parseCiBuilds } from '../parsers/ci-docker-build.ts';
import type { CiBuild } from '../parsers/ci-docker-build.ts';
import { parseDockerfile } from '../parsers/dockerfile.ts';
import type { ParsedDockerfile } from '../parsers/dockerfile.ts';
import { parseGoWork } from '../parsers/go-mod.ts';
import { parseGradleSettings } from '../parsers/jvm-build.ts';
import { mightBeManifest, parseHelmChart, parseK8sManifest } from '../parsers/kubernetes.ts';
import { helmTemplateProbes } from '../parsers/k8s-probes.ts';
import type { HttpProbe, K8sContainer } from '../parsers/k8s-probes.ts';
import type { K8sWorkload } from '../parsers/k8s-workloads.ts';
import { parseYaml } from '../parsers/yaml-safe.ts';
import type { RepoView } from '../repo-view.ts';

/** YAML files read when looking for Kubernetes manifests; a repository rarely has more. */
const MAX_YAML_FILES = 2000;

export function isDockerfile(name: string): boolean {
  return /^(?:Dockerfile|Containerfile)(?:\.[\w.-]+)?$|\.[Dd]ockerfile$/.test(name);
}

export async function collectDockerfiles(view: RepoView): Promise<Map<string, ParsedDockerfile>> {
  const out = new Map<string, ParsedDockerfile>();
  for (const path of view.namedLike(isDockerfile)) {
    const text = await view.text(path);
    if (text !== undefined) out.set(path, parseDockerfile(text));
  }
  return out;
}

export interface ComposeIndex {
  files: ComposeFile[];
  services: Array<ComposeServiceDetail & { file: string }>;
}

export async function collectCompose(view: RepoView, gaps: GapList): Promise<ComposeIndex> {
  const index: ComposeIndex = { files: [], services: [] };
  for (const path of view.namedLike(isComposeFile)) {
    const text = await view.text(path);
    if (text === undefined) continue;
    const parsed = parseCompose(path, text);
    if (!parsed.ok) {
      gaps.add('malformed-manifest', null, `${path}: ${parsed.error}`, [ev(path, parsed.line)]);
      continue;
    }
    index.files.push({
      path,
      services: parsed.services.map(({ name, image, build, ports, evidence }) => ({
        name,
        image,
        build,
        ports,
        evidence,
      })),
    });
    index.services.push(...parsed.services.map((service) => ({ ...service, file: path })));
  }
  return index;
}

export async function collectHelmCharts(view: RepoView, gaps: GapList): Promise<HelmChart[]> {
  const charts: HelmChart[] = [];
  for (const path of view.named('Chart.yaml')) {
    const text = await view.text(path);
    if (text === undefined) continue;
    const parsed = parseHelmChart(path, dirOf(path), text);
    if (parsed.ok) charts.push(parsed.chart);
    else gaps.add('malformed-manifest', null, `${path}: ${parsed.error}`, [ev(path, parsed.line)]);
  }
  return charts;
}

const NOT_MANIFESTS =
  /(?:^|\/)(?:\.github|\.gitlab|\.circleci|\.woodpecker|\.buildkite)\/|(?:^|\/)(?:pnpm-lock|pnpm-workspace|\.gitlab-ci|Chart|\.pre-commit-config|mkdocs|openapi|swagger)\.ya?ml$|(?:^|\/)application[\w-]*\.ya?ml$/;

export interface K8sIndex {
  manifests: K8sManifest[];
  /** Containers of long-running workloads, with their HTTP probes. */
  containers: K8sContainer[];
  /** Workloads (long-running, Job, CronJob) of the repository's own manifests. */
  workloads: K8sWorkload[];
}

export async function collectK8sManifests(
  view: RepoView,
  charts: HelmChart[],
  gaps: GapList,
): Promise<K8sIndex> {
  const chartDirs = charts.map((chart) => (chart.path === '.' ? '' : `${chart.path}/`));
  const candidates = view
    .namedLike((name) => /\.ya?ml$/.test(name) && !isComposeFile(name))
    .filter((path) => !NOT_MANIFESTS.test(path) && !chartDirs.some((dir) => path.startsWith(dir)))
    .slice(0, MAX_YAML_FILES);
  const manifests: K8sManifest[] = [];
  const containers: K8sContainer[] = [];
  const workloads: K8sWorkload[] = [];
  for (const path of candidates) {
    const text = await view.text(path);
    if (text === undefined || !mightBeManifest(text)) continue;
    const parsed = parseK8sManifest(path, text);
    if (!parsed.ok) {
      gaps.add('malformed-manifest', null, `${path}: ${parsed.error}`, [ev(path, parsed.line)]);
      continue;
    }
    if (parsed.manifest) manifests.push(parsed.manifest);
    if (VENDORED.test(path)) continue;
    containers.push(...parsed.containers);
    workloads.push(...parsed.workloads);
  }
  return { manifests, containers, workloads };
}

/** Charts and manifests copied from elsewhere describe someone else's services. */
export const VENDORED = /(?:^|\/)(?:vendor|vendors|third[_-]party)\//;

export interface HelmProbes {
  chart: HelmChart;
  template: string;
  probes: HttpProbe[];
  images: string[];
}

/** Literal HTTP probes in the templates of the repository's own charts (not subcharts). */
export async function collectHelmProbes(
  view: RepoView,
  charts: HelmChart[],
): Promise<HelmProbes[]> {
  const out: HelmProbes[] = [];
  const isSubchart = (chart: HelmChart) =>
    charts.some(
      (other) =>
        other !== chart &&
        chart.path.startsWith(`${other.path === '.' ? '' : `${other.path}/`}charts/`),
    );
  for (const chart of charts) {
    if (VENDORED.test(chart.path) || isSubchart(chart)) continue;
    const dir = chart.path === '.' ? 'templates' : `${chart.path}/templates`;
    for (const template of view.under(dir)) {
      if (!/\.(?:ya?ml|tpl)$/.test(template)) continue;
      const text = await view.text(template);
      if (text === undefined) continue;
      const found = helmTemplateProbes(template, text);
      if (found.probes.length > 0) out.push({ chart, template, ...found });
    }
  }
  return out;
}

const CI_FILES: Array<{ system: string; test: RegExp }> = [
  { system: 'github-actions', test: /^\.github\/workflows\/[^/]+\.ya?ml$/ },
  { system: 'gitlab-ci', test: /^\.gitlab-ci\.ya?ml$/ },
  { system: 'jenkins', test: /(?:^|\/)Jenkinsfile$/ },
  { system: 'circleci', test: /^\.circleci\/config\.ya?ml$/ },
  { system: 'azure-pipelines', test: /^azure-pipelines\.ya?ml$/ },
  { system: 'bitbucket-pipelines', test: /^bitbucket-pipelines\.ya?ml$/ },
  { system: 'drone', test: /^\.drone\.ya?ml$/ },
  { system: 'woodpecker', test: /^\.woodpecker(?:\.ya?ml|\/[^/]+\.ya?ml)$/ },
  { system: 'travis', test: /^\.travis\.ya?ml$/ },
  { system: 'buildkite', test: /^\.buildkite\/pipeline\.ya?ml$/ },
  { system: 'tekton', test: /^\.tekton\/[^/]+\.ya?ml$/ },
];

export async function collectCiConfigs(view: RepoView, gaps: GapList): Promise<CiConfig[]> {
  const out: CiConfig[] = [];
  const candidates = [
    ...view.under('.github'),
    ...view.namedLike((name) => /ya?ml$|^Jenkinsfile$/.test(name) && !name.startsWith('Chart')),
  ];
  for (const path of [...new Set(candidates)].sort()) {
    const kind = CI_FILES.find((entry) => entry.test.test(path));
    if (!kind) continue;
    if (/\.ya?ml$/.test(path)) {
      const text = await view.text(path);
      const parsed = text === undefined ? undefined : parseYaml(text);
      if (parsed && !parsed.ok) {
        gaps.add('malformed-manifest', null, `${path}: ${parsed.error}`, [ev(path, parsed.line)]);
        continue;
      }
    }
    out.push({ path, system: kind.system, evidence: [ev(path)] });
  }
  return out;
}

/** Image builds the repository's GitHub Actions and GitLab CI files run. */
export async function collectCiBuilds(view: RepoView, configs: CiConfig[]): Promise<CiBuild[]> {
  const out: CiBuild[] = [];
  for (const config of configs) {
    if (config.system !== 'github-actions' && config.system !== 'gitlab-ci') continue;
    const text = await view.text(config.path);
    if (text !== undefined) out.push(...parseCiBuilds(config.path, text));
  }
  return out;
}

/** The tool that organises a monorepo, most specific first (nx/turbo run on top of workspaces). */
export async function detectMonorepoTool(view: RepoView): Promise<Claim<string> | null> {
  for (const [file, tool] of [
    ['nx.json', 'nx'],
    ['turbo.json', 'turborepo'],
    ['lerna.json', 'lerna'],
    ['pnpm-workspace.yaml', 'pnpm-workspaces'],
  ] as const) {
    if (view.has(file)) return claimOf(tool, ev(file));
  }
  const rootPackage = view.has('package.json') ? await view.text('package.json') : undefined;
  if (rootPackage) {
    try {
      const data: unknown = JSON.parse(rootPackage);
      if (isRecord(data) && data.workspaces !== undefined) {
        const tool = view.has('yarn.lock')
          ? 'yarn-workspaces'
          : view.has('pnpm-lock.yaml')
            ? 'pnpm-workspaces'
            : 'npm-workspaces';
        return claimOf(tool, ev('package.json', findLine(rootPackage, '"workspaces"') ?? 1));
      }
    } catch {
      // Reported as a malformed manifest by the manifest collector.
    }
  }
  if (view.has('go.work')) {
    const parsed = parseGoWork('go.work', (await view.text('go.work')) ?? '');
    if (parsed.ok && parsed.uses.length > 0)
      return claimOf('go-work', ev('go.work', parsed.uses[0]?.line ?? 1));
  }
  const pom = view.has('pom.xml') ? await view.text('pom.xml') : undefined;
  const modules = pom ? findLine(pom, '<modules>') : undefined;
  if (modules) return claimOf('maven-modules', ev('pom.xml', modules));
  for (const name of ['settings.gradle', 'settings.gradle.kts']) {
    const text = view.has(name) ? await view.text(name) : undefined;
    if (text && parseGradleSettings(text).includes.length > 0)
      return claimOf('gradle-multi-project', ev(name, findLine(text, 'include') ?? 1));
  }
  return null;
}
