/**
 * What the templates need to know about one service, derived from the auditor's claims. Every
 * fallback (no port, no health endpoint, unknown language) is recorded as a note so the plan
 * says what it assumed instead of guessing silently.
 */
import type { Fingerprint, Service } from '../repo-auditor/fingerprint.ts';
import { folderInside, generatedContextOf, serviceDirOf } from '../repo-auditor/install-root.ts';
import type { PlanQuestion } from './plan-model.ts';
import type { TemplateStore } from './template-store.ts';
import { companionProcesses, servesTraffic, type CompanionProcess } from './topology.ts';

export type Toolchain = 'node' | 'python' | 'go' | 'java' | 'java-gradle';

export interface ToolchainFacts {
  buildImage: string;
  runtimeImage: string;
  defaultPort: number;
  mirrorEnv: Array<{ name: string; path?: string; value?: string }>;
  otelPackage: string;
  defaultCmd: string[];
  useStartCommand: boolean;
  /**
   * Dockerfile build stage: what to copy before installing, the install, the build, the
   * dev-dependency prune. Templates themselves: they may use the service scope.
   */
  dockerCopy?: string;
  dockerInstall?: string;
  dockerBuild?: string;
  dockerPrune?: string;
  /** The start script may call pnpm: the runtime stage gets the build stage's pnpm. */
  runtimePnpm?: boolean;
  /** Start commands the runtime image cannot run as found (regex, replacement with `[[port]]`). */
  startRewrites?: Array<{ match: string; replace: string }>;
  /**
   * Overrides by what the auditor found, applied in this order: `packageManager:<pm>`,
   * `workspace:<pm>` or else `lockfile:none:<pm>`, `tests:<framework>`, `framework:<framework>`.
   * Keys absent from a variant keep the toolchain's value.
   */
  variants?: Record<string, Partial<ToolchainFacts>>;
}

export interface ServiceView {
  name: string;
  /** DNS-1123 label: Kubernetes names, image names, job prefixes. */
  slug: string;
  /** Service directory with a trailing slash, '' for the repository root. */
  dir: string;
  /** The service folder without a trailing slash, '.' for the root: CI runs and scans here. */
  context: string;
  /**
   * What `docker build` gets as its context: the repository's build spec (compose, CI), else the
   * service folder for its own Dockerfile, else for the plan's Dockerfile the workspace root of
   * a Node workspace member (repo-auditor generatedContextOf; the build stage asks the same).
   */
  buildContext: string;
  /** The service folder inside `buildContext` ('' when it is the context itself). */
  appDir: string;
  language: string;
  framework: string;
  toolchain: Toolchain | null;
  port: number;
  healthPath: string;
  /** Paths k6 exercises; the fingerprint names the health endpoint, so that is the floor. */
  routes: string[];
  startCommand: string | null;
  envVars: string[];
  hasDockerfile: boolean;
  /** The Dockerfile CI builds: the team's own where the auditor found one, else ours. */
  dockerfilePath: string;
  dockerfileDir: string;
  dockerfileName: string;
  migrations: { tool: string; path: string } | null;
  hasTests: boolean;
  /** The toolchain's facts with the variants for this service's package manager, lockfile and tests. */
  facts: ToolchainFacts | null;
  /** Go: the main package to build (`./cmd/api` when the auditor's start command says so). */
  mainPackage: string;
  /** False for a service whose main process is a worker, scheduler or job: no Service, Ingress or probe. */
  serves: boolean;
  /** Workers, schedulers and jobs that run the service's image with their own command. */
  companions: CompanionProcess[];
  /** The HTTP metrics dashboards, alerts and canary analysis query (metric-dialects.yaml). */
  metrics: MetricsView;
}

/** One entry of templates/observability/metric-dialects.yaml. */
interface MetricDialect {
  requests: string;
  buckets: string;
  status: string;
  path?: string;
  note?: string;
}

// A type, not an interface: template scopes take it as a plain record.
export type MetricsView = {
  /** `otel`, `micrometer`, …; `otel` (the instrumentation the plan proposes) when none was found. */
  dialect: string;
  /** The service emits these metrics now; when false, no analysis can judge a canary yet. */
  detected: boolean;
  requests: string;
  buckets: string;
  status: string;
  /** `requirements.txt:3`: where the library is declared; '' when not detected. */
  evidence: string;
  /** Scraped from the pod over HTTP at `path` (else pushed over OTLP to the collector). */
  scrape: boolean;
  path: string;
  /** What the library needs for every query to have data (metric-dialects.yaml `note`). */
  note: string;
};

const PROPOSED_DIALECT = 'otel';

/** The metrics a service's dialect names: what it emits, else the instrumentation proposed. */
function metricsOf(service: Service, store: TemplateStore): MetricsView {
  const dialects = store.data<Record<string, MetricDialect>>('observability/metric-dialects.yaml');
  const found = service.metrics?.value;
  const dialect = found && dialects[found] ? found : PROPOSED_DIALECT;
  const facts = dialects[dialect]!;
  const detected = dialect === found;
  return {
    dialect,
    detected,
    evidence: detected
      ? service.metrics!.evidence.map((e) => `${e.file}:${e.line}`).join(', ')
      : '',
    requests: facts.requests,
    buckets: facts.buckets,
    status: facts.status,
    scrape: detected && facts.path !== undefined,
    path: facts.path ?? '',
    note: facts.note ?? '',
  };
}

/**
 * What the plan says about each serving service's metrics: which ones it reads, or that none
 * exist yet — and, where releases are canaries judged by analysis (`canaryAnalysis`), that the
 * steps wait for a person until they do.
 */
export function metricsNotes(views: ServiceView[], canaryAnalysis: boolean): string[] {
  return views
    .filter((view) => view.serves)
    .map(({ slug, metrics }) =>
      metrics.detected
        ? `${slug}: dashboards, alerts${canaryAnalysis ? ' and canary analysis' : ''} read the ${metrics.dialect} HTTP metrics it already emits (${metrics.evidence})${metrics.scrape ? `, scraped from ${metrics.path}` : ''}${metrics.note ? `; ${metrics.note}` : ''}`
        : `${slug}: emits no HTTP metrics ProdSprint recognises: dashboards and alerts read the OpenTelemetry metrics of the instrumentation the plan proposes (docs/instrumentation/${slug}.md), absent until it lands${canaryAnalysis ? `; until then no analysis can judge a canary, so each canary step waits for a person (\`kubectl argo rollouts promote ${slug}\`); plan again after it has` : ''}`,
    );
}

/** The toolchain's facts with the variants that match what the auditor found. */
export function toolchainFacts(
  store: TemplateStore,
  toolchain: Toolchain | null,
  service: Pick<
    Service,
    'path' | 'packageManager' | 'lockfile' | 'tests' | 'framework' | 'language'
  >,
): ToolchainFacts | null {
  if (!toolchain) return null;
  const base = store.data<Record<Toolchain, ToolchainFacts>>('ci/toolchains.yaml')[toolchain];
  const pm = service.packageManager?.value ?? '';
  // A workspace's lockfile at the repository root is outside the service's build context.
  const dir =
    service.path === '.' || service.path === '' ? '' : `${service.path.replace(/\/+$/, '')}/`;
  const lockfileHere = service.lockfile?.evidence.some((e) => e.file.startsWith(dir)) ?? false;
  const member = generatedContextOf(service) !== serviceDirOf(service);
  const keys = [
    `packageManager:${pm}`,
    member ? `workspace:${pm}` : lockfileHere ? '' : `lockfile:none:${pm}`,
    `tests:${service.tests?.value.framework ?? ''}`,
    `framework:${service.framework?.value ?? ''}`,
  ];
  let facts: ToolchainFacts = { ...base };
  for (const key of keys) {
    const variant = base.variants?.[key];
    if (variant) facts = { ...facts, ...variant };
  }
  delete facts.variants;
  return facts;
}

/** `go run ./cmd/api` → `./cmd/api`; the module root otherwise. */
function mainPackageOf(service: Service): string {
  const match = /^go run (\.\/[\w./-]+|\.)\s*$/.exec(service.startCommand?.value.trim() ?? '');
  return match ? match[1]!.replace(/\/+$/, '') || '.' : '.';
}

/** A Kubernetes-safe name: lower-case alphanumerics and dashes, at most 40 characters. */
export function slugOf(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug || 'app';
}

function toolchainOf(service: Service): Toolchain | null {
  switch (service.language?.value) {
    case 'typescript':
    case 'javascript':
      return 'node';
    case 'python':
      return 'python';
    case 'go':
      return 'go';
    case 'java':
    case 'kotlin':
      return /gradle/i.test(service.packageManager?.value ?? '') ? 'java-gradle' : 'java';
    default:
      return null;
  }
}

function dockerfileOf(
  path: string,
): Pick<ServiceView, 'dockerfilePath' | 'dockerfileDir' | 'dockerfileName'> {
  const slash = path.lastIndexOf('/');
  return {
    dockerfilePath: path,
    dockerfileDir: slash < 0 ? '.' : path.slice(0, slash),
    dockerfileName: path.slice(slash + 1),
  };
}

/** What a plan asks and what the user answered (BlueprintInputs.answers), by question id. */
export interface Questions {
  answers: Record<string, string>;
  asked: PlanQuestion[];
}

/** The id of the plan question that asks which port a service listens on. */
export const portQuestionId = (slug: string): string => `${slug}.port`;

/** An answer to a port question as a TCP port, or null when it is not one. */
export function portAnswer(answer: string | undefined): number | null {
  if (answer === undefined || !/^\d{1,5}$/.test(answer)) return null;
  const port = Number(answer);
  return port >= 1 && port <= 65535 ? port : null;
}

/** A port the auditor did not find is a question; its answer, when valid, is the port. */
function portOf(
  service: Service,
  slug: string,
  fallback: number,
  serves: boolean,
  fallbackEvidence: string,
  questions: Questions,
): number {
  if (service.port) return service.port.value;
  if (!serves) return fallback;
  const id = portQuestionId(slug);
  const given = questions.answers[id];
  const answered = portAnswer(given);
  questions.asked.push({
    id,
    service: slug,
    question: `Which port does ${slug} listen on? None was found in its code, start command, Dockerfile or compose file.`,
    candidates: [{ value: String(fallback), evidence: fallbackEvidence }],
    answer: answered === null ? null : given!,
  });
  return answered ?? fallback;
}

function viewOf(
  service: Service,
  store: TemplateStore,
  notes: string[],
  questions: Questions,
): Omit<ServiceView, 'companions' | 'metrics'> {
  const slug = slugOf(service.name);
  const serves = servesTraffic(service);
  const toolchain = toolchainOf(service);
  const facts = toolchainFacts(store, toolchain, service);
  if (!toolchain) {
    notes.push(`${slug}: language not recognised; no Dockerfile or build steps were generated`);
  }
  const port = portOf(
    service,
    slug,
    facts?.defaultPort ?? 8080,
    serves,
    facts ? `the default of ${service.framework?.value ?? toolchain} services` : 'a common default',
    questions,
  );
  const healthPath = service.healthEndpoint?.value ?? '/healthz';
  if (!serves) {
    notes.push(
      `${slug}: its main process is a ${service.role?.value} (${service.role?.evidence.map((e) => `${e.file}:${e.line}`).join(', ')}), not a web server: no Service, Ingress or HTTP probe, and a rolling update instead of a canary`,
    );
  }
  if (serves && !service.healthEndpoint) {
    notes.push(`${slug}: no health endpoint found, probes use ${healthPath}; add one`);
  }
  const dir =
    service.path === '.' || service.path === '' ? '' : `${service.path.replace(/\/+$/, '')}/`;
  const context = serviceDirOf(service);
  const buildContext =
    service.build?.value.context ?? (service.dockerfile ? context : generatedContextOf(service));
  return {
    name: service.name,
    slug,
    dir,
    context,
    buildContext,
    appDir: folderInside(context, buildContext),
    language: service.language?.value ?? 'unknown',
    framework: service.framework?.value ?? 'unknown',
    toolchain,
    port,
    healthPath,
    routes: [healthPath],
    startCommand: service.startCommand?.value ?? null,
    envVars: [...new Set(service.envVars.map((v) => v.value))].sort(),
    hasDockerfile: service.dockerfile !== null,
    ...dockerfileOf(service.dockerfile?.value.path ?? `${dir}Dockerfile`),
    migrations: service.migrations?.value ?? null,
    hasTests: service.tests !== null,
    facts,
    mainPackage: mainPackageOf(service),
    serves,
  };
}

/** Services that only test or help development, or are a vendor's store: never deployed. */
const NOT_DEPLOYED: ReadonlySet<string> = new Set(['test-runner', 'dev-tool', 'backing-store']);

/** Whether a service whose main process has this role is deployed (or released) at all. */
export function isDeployedRole(role: string | null | undefined): boolean {
  return !role || !NOT_DEPLOYED.has(role);
}

/** Views of every service, sorted by slug; duplicate slugs get a numeric suffix. */
export function serviceViews(
  fingerprint: Fingerprint,
  store: TemplateStore,
  notes: string[],
  questions: Questions = { answers: {}, asked: [] },
): ServiceView[] {
  const deployed = fingerprint.services.filter((service) => {
    const role = service.role?.value;
    if (isDeployedRole(role)) return true;
    const where = service.role!.evidence.map((e) => `${e.file}:${e.line}`).join(', ');
    notes.push(
      `${slugOf(service.name)}: a ${role} (${where}), not part of production: no image, pipeline or manifests`,
    );
    return false;
  });
  const sorted = [...deployed].sort((a, b) =>
    a.path === b.path ? a.name.localeCompare(b.name) : a.path.localeCompare(b.path),
  );
  const seen = new Map<string, number>();
  return sorted
    .map((service) => {
      const view = viewOf(service, store, notes, questions);
      const count = seen.get(view.slug) ?? 0;
      seen.set(view.slug, count + 1);
      const slug = count === 0 ? view.slug : `${view.slug}-${count + 1}`;
      const companions = companionProcesses(fingerprint, service, slug, notes, questions);
      const metrics = metricsOf(service, store);
      return { ...view, slug, companions, metrics };
    })
    .sort((a, b) => a.slug.localeCompare(b.slug));
}
