/**
 * The repository fingerprint (issue 5): what the auditor claims about a repository, each claim
 * with the file:line evidence that supports it, plus the gaps between the repository and what a
 * production release needs. Versioned: readers switch on `version`; a change of shape bumps it.
 * The stored form (projects.fingerprint) only requires `version`, this file owns the rest.
 */
import { z } from 'zod';

export const FINGERPRINT_VERSION = 1;

export const Evidence = z.object({
  /** Repository-relative POSIX path. */
  file: z.string().min(1),
  /** 1-based line the claim was read from (1 when the claim is about the file as a whole). */
  line: z.number().int().positive(),
});
export type Evidence = z.infer<typeof Evidence>;

/** A value the auditor asserts, with at least one place in the repository that shows it. */
export function claim<T extends z.ZodType>(value: T) {
  return z.object({ value, evidence: z.array(Evidence).min(1) });
}
export interface Claim<T> {
  value: T;
  evidence: Evidence[];
}

export const Language = z.enum(['typescript', 'javascript', 'python', 'go', 'java', 'kotlin']);
export type Language = z.infer<typeof Language>;

export const DockerfileInfo = z.object({
  path: z.string(),
  /** External base image of the built stage, followed through `FROM <stage>` aliases. */
  baseImage: z.string(),
  exposedPorts: z.array(z.number().int()),
  user: z.string().nullable(),
  healthcheck: z.string().nullable(),
});
export type DockerfileInfo = z.infer<typeof DockerfileInfo>;

/**
 * How the repository builds the service's image: what `docker build` gets. `source` says where
 * it was read: a compose service's `build`, a CI step, or the Dockerfile alone (its folder, or
 * the ancestor its COPY lines need). Args hold only values known from the repository.
 */
export const BuildSpec = z.object({
  /** Repository-relative build context directory ('.' = the root). */
  context: z.string(),
  /** Repository-relative path of the Dockerfile. */
  dockerfile: z.string(),
  /** Stage to build (`--target`); null builds the last stage. */
  target: z.string().nullable(),
  args: z.record(z.string(), z.string()),
  source: z.enum(['compose', 'dockerfile', 'ci']),
});
export type BuildSpec = z.infer<typeof BuildSpec>;

/**
 * What a process of the repository does (see HEURISTICS.md, "Processes"): `web` serves HTTP/gRPC,
 * `worker` consumes a queue, `scheduler` runs things on a clock, `job` runs once and exits
 * (migrations, seeds), `test-runner` runs tests or load, `dev-tool` only helps development
 * (flower, adminer, mail catchers, hot-reload servers), `proxy` fronts the app, `backing-store`
 * is a database, cache, broker or search engine.
 */
export const ProcessRole = z.enum([
  'web',
  'worker',
  'scheduler',
  'job',
  'test-runner',
  'dev-tool',
  'proxy',
  'backing-store',
]);
export type ProcessRole = z.infer<typeof ProcessRole>;

export const Confidence = z.enum(['high', 'medium', 'low']);
export type Confidence = z.infer<typeof Confidence>;

/**
 * One process the repository runs, from its compose files, Procfile, Kubernetes manifests, Helm
 * templates, Dockerfiles and manifests, merged when several describe the same process. A `low`
 * confidence is a question for the plan, never a silent guess: `reason` says what is unclear.
 */
export const Process = z.object({
  name: z.string().min(1),
  /** The Service.name whose code it runs; null for a backing store, a vendor image or a tool. */
  service: z.string().nullable(),
  role: ProcessRole,
  /** The command as the repository writes it (compose `command`, Procfile, CMD, container args). */
  command: z.string().nullable(),
  /** The image reference as written (compose `image`, container `image`); null when only built. */
  image: z.string().nullable(),
  port: z.number().int().min(1).max(65535).nullable(),
  evidence: z.array(Evidence).min(1),
  confidence: Confidence,
  reason: z.string().min(1),
});
export type Process = z.infer<typeof Process>;

export const Service = z.object({
  name: z.string(),
  /** Directory of the service, repository-relative ('.' for the root). */
  path: z.string(),
  language: claim(Language).nullable(),
  framework: claim(z.string()).nullable(),
  packageManager: claim(z.string()).nullable(),
  lockfile: claim(z.string()).nullable(),
  port: claim(z.number().int().min(1).max(65535)).nullable(),
  /** Describes the stage `build` produces (its target, else the last stage). */
  dockerfile: claim(DockerfileInfo).nullable(),
  /** Null when the repository has no Dockerfile for the service (or in fingerprints made before). */
  build: claim(BuildSpec).nullable().default(null),
  startCommand: claim(z.string()).nullable(),
  healthEndpoint: claim(z.string()).nullable(),
  envVars: z.array(claim(z.string())),
  orm: claim(z.string()).nullable(),
  migrations: claim(z.object({ tool: z.string(), path: z.string() })).nullable(),
  queues: z.array(claim(z.string())),
  tests: claim(z.object({ framework: z.string(), path: z.string() })).nullable(),
  coverageConfig: claim(z.string()).nullable(),
  /**
   * The role of the service's main process (web before proxy, worker, scheduler, job, test
   * runner, dev tool): a service whose only processes are workers is a worker, so callers can
   * skip HTTP probes, Services and Ingresses for it. Null in fingerprints made before it existed.
   */
  role: claim(ProcessRole).nullable().default(null),
  /**
   * The HTTP metrics the service already emits: the library (a dependency) and the metric
   * dialect it writes (catalog.ts METRICS), so dashboards, alerts and canary analysis query
   * names that exist. Null when none was found (or in fingerprints made before it existed).
   */
  metrics: claim(z.string()).nullable().default(null),
});
/** Input type: `build`, `role` and `metrics` may be absent (stored before they existed); parse fills null. */
export type Service = z.input<typeof Service>;

export const ComposeService = z.object({
  name: z.string(),
  image: z.string().nullable(),
  /** Build context, repository-relative. */
  build: z.string().nullable(),
  ports: z.array(z.number().int()),
  evidence: z.array(Evidence).min(1),
});
export type ComposeService = z.infer<typeof ComposeService>;

export const ComposeFile = z.object({ path: z.string(), services: z.array(ComposeService) });
export type ComposeFile = z.infer<typeof ComposeFile>;

export const K8sResource = z.object({
  kind: z.string(),
  name: z.string(),
  evidence: z.array(Evidence).min(1),
});
export const K8sManifest = z.object({ path: z.string(), resources: z.array(K8sResource).min(1) });
export type K8sManifest = z.infer<typeof K8sManifest>;

export const HelmChart = z.object({
  path: z.string(),
  name: z.string(),
  version: z.string().nullable(),
  appVersion: z.string().nullable(),
  evidence: z.array(Evidence).min(1),
});
export type HelmChart = z.infer<typeof HelmChart>;

export const CiConfig = z.object({
  path: z.string(),
  system: z.string(),
  evidence: z.array(Evidence).min(1),
});
export type CiConfig = z.infer<typeof CiConfig>;

export const GapId = z.enum([
  'no-dockerfile',
  'dockerfile-runs-as-root',
  'no-health-endpoint',
  'no-tests',
  'no-lockfile',
  'committed-secret',
  'orm-without-migrations',
  'malformed-manifest',
  'unreadable-file',
  'symlink-outside-repo',
  'no-ci',
  'undocumented-env-var',
]);
export type GapId = z.infer<typeof GapId>;

export const Gap = z.object({
  id: GapId,
  severity: z.enum(['high', 'medium', 'low']),
  /** Service path the gap belongs to, or null for the repository as a whole. */
  service: z.string().nullable(),
  message: z.string(),
  remediation: z.string(),
  /** Where it shows; empty only for repository-wide absences (no CI at all). */
  evidence: z.array(Evidence),
});
export type Gap = z.infer<typeof Gap>;

export const Fingerprint = z.object({
  version: z.literal(FINGERPRINT_VERSION),
  services: z.array(Service),
  composeFiles: z.array(ComposeFile),
  k8sManifests: z.array(K8sManifest),
  helmCharts: z.array(HelmChart),
  ciConfigs: z.array(CiConfig),
  /** Every process the repository runs; empty in fingerprints made before it existed. */
  processes: z.array(Process).default([]),
  monorepoTool: claim(z.string()).nullable(),
  gaps: z.array(Gap),
  stats: z.object({
    files: z.number().int().nonnegative(),
    filesRead: z.number().int().nonnegative(),
    skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
  }),
});
/** Input type, like Service: a parsed fingerprint always has `build`, `role` and `processes`. */
export type Fingerprint = z.input<typeof Fingerprint>;
