/**
 * Where releases go (issue 9). The release agent drives any target through this interface; the
 * docker target is the real, tested one and kubernetes and cloud targets implement it later.
 * Every operation is idempotent: the run engine may repeat a step after a crash (ARCHITECTURE.md
 * invariant 4), so repeating one must converge on the same state, never duplicate an effect.
 */

export type TargetKind = 'docker' | 'kubernetes' | 'cloud';

/** One version to run: its image and the environment it runs with. */
export interface DeploySpec {
  version: string;
  image: string;
  env?: Record<string, string>;
  /**
   * Files each instance gets before it starts: absolute path → content, read-only (0444), e.g.
   * the compose secrets its code reads (/run/secrets/db-password). Contents are secrets: only
   * their digest is recorded; changed files replace the instances, not the version.
   */
  files?: Record<string, string>;
  /** Containers / pods in the version's set; 1 unless told. */
  replicas?: number;
}

export interface DeployResult {
  version: string;
  /** False when the version was already deployed with the same spec (a no-op). */
  changed: boolean;
  /** Engine-specific ids of the version's instances (container ids for docker). */
  instances: string[];
}

/** Share of traffic per version, in whole percent summing to 100. */
export type TrafficWeights = Record<string, number>;

/** What one version looked like over a window, measured by the target's metrics backend. */
export interface VersionHealth {
  version: string;
  /** Responses counted over the window. */
  requests: number;
  /** Fraction of responses that were 5xx, or undefined when there were none to count. */
  errorRate: number | undefined;
  /**
   * Latency in seconds: the 95th percentile from the app's histogram, else HAProxy's average
   * response time of the version's slowest server (latencySource says which); undefined
   * without data.
   */
  p95Seconds: number | undefined;
  latencySource?: 'app-histogram' | 'haproxy-average' | null;
  /** Saturation: concurrent sessions per instance, averaged over the window. */
  meanSessions: number | undefined;
  /** What could not be measured and why; non-empty means the sample cannot prove health. */
  missing: string[];
}

export interface HealthReport {
  /** Window the figures cover, in seconds, ending at `at`. */
  windowSeconds: number;
  at: string;
  versions: Record<string, VersionHealth>;
}

export interface Target {
  readonly kind: TargetKind;
  /** Creates what versions share (network, router backend); safe to call again. */
  provision(): Promise<void>;
  /** Runs the version's set at 0% traffic and waits until it passes health checks. */
  deploy(spec: DeploySpec): Promise<DeployResult>;
  /** Applies the split and returns it as read back from the router. */
  setTraffic(weights: TrafficWeights): Promise<TrafficWeights>;
  /** The split the router applies now. */
  traffic(): Promise<TrafficWeights>;
  /** Error rate and p95 per deployed version over the last `windowSeconds`. */
  health(windowSeconds: number): Promise<HealthReport>;
  /** All traffic to `version`; the others stay running (warm) until retired. */
  promote(version: string): Promise<TrafficWeights>;
  /** Traffic back to `goodVersion` first, then stop `badVersion`'s set. */
  rollback(goodVersion: string, badVersion: string): Promise<TrafficWeights>;
  /** Stops and removes one version's set after draining it from the router. */
  retire(version: string): Promise<void>;
  /** Removes everything this target created for its project and environment. */
  teardown(): Promise<void>;
}

/** What a metrics backend is asked: which router servers belong to which version, over what. */
export interface HealthQuery {
  windowSeconds: number;
  /** Router backend whose per-server responses give the error rate. */
  backend: string;
  /** Router server name → version it serves. */
  servers: Record<string, string>;
  /** Labels selecting the app's own metrics (its latency histogram) for this scope. */
  appLabels: Record<string, string>;
}

/** A metrics backend able to measure versions (Prometheus today). Must fail closed. */
export interface HealthSource {
  measure(query: HealthQuery): Promise<HealthReport>;
}
