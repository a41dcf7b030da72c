/**
 * The docker target (issue 9): one container set per version on a private bridge network,
 * HAProxy dynamic servers in front, health from a metrics backend. Operations are idempotent:
 * names derive from project/environment/version, so a repeated call finds what the last one did.
 */
import type Docker from 'dockerode';
import { TargetError } from '../errors.ts';
import type {
  DeployResult,
  DeploySpec,
  HealthReport,
  HealthSource,
  Target,
  TrafficWeights,
} from '../target.ts';
import { instanceWeights, validateTraffic, versionShares } from '../traffic.ts';
import {
  ensureNetwork,
  ensureVersionContainer,
  listInstances,
  removeContainer,
  removeNetwork,
} from './containers.ts';
import type { Instance } from './containers.ts';
import type { HaproxyRouter } from './haproxy/router.ts';
import { serverName, slug } from './names.ts';
import type { Scope } from './names.ts';

export interface DockerTargetOptions {
  docker: Docker;
  project: string;
  environment: string;
  router: HaproxyRouter;
  health: HealthSource;
  /** Port the app listens on inside its containers. */
  appPort: number;
  /** Private bridge network; defaults to ps-<project>-<environment>. */
  network?: { name?: string; subnet?: string };
  /**
   * What every version of this environment starts with: variables (backing services' URLs and
   * passwords, generated secrets) and files (compose secrets), computed at deploy so they are
   * never stored with a release; a spec's own env and files win.
   */
  runtime?: (target: DockerTarget) => Promise<EnvironmentRuntimeSpec>;
}

/** The part of a deploy spec an environment adds to every version. */
export interface EnvironmentRuntimeSpec {
  env: Record<string, string>;
  files: Record<string, string>;
}

export class DockerTarget implements Target {
  readonly kind = 'docker' as const;
  readonly docker: Docker;
  readonly scope: Scope;
  readonly router: HaproxyRouter;
  readonly healthSource: HealthSource;
  readonly appPort: number;
  readonly networkName: string;
  readonly subnet: string | undefined;
  private readonly runtime: DockerTargetOptions['runtime'];

  constructor(options: DockerTargetOptions) {
    this.runtime = options.runtime;
    this.docker = options.docker;
    this.scope = { project: options.project, environment: options.environment };
    this.router = options.router;
    this.healthSource = options.health;
    this.appPort = options.appPort;
    this.networkName =
      options.network?.name ?? `ps-${slug(options.project)}-${slug(options.environment)}`;
    this.subnet = options.network?.subnet;
  }

  /**
   * Also re-registers running versions the router lost (HAProxy restarted): they come back at
   * weight 0, because only the release, which persisted the split, may decide their traffic.
   */
  async provision(): Promise<void> {
    await ensureNetwork(this.docker, this.scope, this.networkName, this.subnet);
    const known = new Set((await this.router.servers()).map((s) => s.name));
    for (const instance of await this.runningInstances()) {
      const address = instance.addresses[this.networkName];
      if (known.has(instance.server) || !address) continue;
      await this.router.ensureServer(instance.server, address, this.appPort);
    }
  }

  async deploy(spec: DeploySpec): Promise<DeployResult> {
    const replicas = spec.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 1) {
      throw new TargetError(`replicas must be a positive integer, got ${replicas}`);
    }
    const runtime = this.runtime ? await this.runtime(this) : undefined;
    const placedSpec = runtime
      ? {
          ...spec,
          env: { ...runtime.env, ...spec.env },
          ...(Object.keys(runtime.files).length > 0 || spec.files
            ? { files: { ...runtime.files, ...spec.files } }
            : {}),
        }
      : spec;
    let changed = false;
    const instances: string[] = [];
    for (let replica = 0; replica < replicas; replica++) {
      const placed = await ensureVersionContainer(this.docker, {
        scope: this.scope,
        spec: placedSpec,
        replica,
        port: this.appPort,
        network: this.networkName,
      });
      changed ||= placed.changed;
      instances.push(placed.id);
      await this.router.ensureServer(
        serverName(spec.version, replica),
        placed.address,
        this.appPort,
      );
    }
    return { version: spec.version, changed, instances };
  }

  async setTraffic(weights: TrafficWeights): Promise<TrafficWeights> {
    validateTraffic(weights);
    const byVersion = groupByVersion(await this.runningInstances());
    const missing = Object.keys(weights).filter((v) => weights[v]! > 0 && !byVersion.has(v));
    if (missing.length > 0) {
      throw new TargetError(
        `cannot route traffic to ${missing.join(', ')}: not deployed in ${this.scope.project}/${this.scope.environment}`,
        'deploy the version first',
      );
    }
    const serverWeights: Record<string, number> = {};
    for (const [version, servers] of byVersion) {
      Object.assign(serverWeights, instanceWeights(weights[version] ?? 0, servers));
    }
    const applied = await this.router.setWeights(serverWeights);
    return versionShares(applied, await this.versionOfServer());
  }

  async traffic(): Promise<TrafficWeights> {
    return versionShares(await this.router.weights(), await this.versionOfServer());
  }

  async health(windowSeconds: number): Promise<HealthReport> {
    const servers: Record<string, string> = {};
    for (const instance of await this.runningInstances())
      servers[instance.server] = instance.version;
    return this.healthSource.measure({
      windowSeconds,
      backend: this.router.backend,
      servers,
      appLabels: { project: this.scope.project, environment: this.scope.environment },
    });
  }

  async promote(version: string): Promise<TrafficWeights> {
    return this.setTraffic(await this.allTo(version));
  }

  async rollback(goodVersion: string, badVersion: string): Promise<TrafficWeights> {
    if (goodVersion === badVersion) throw new TargetError('rollback needs two different versions');
    const applied = await this.setTraffic(await this.allTo(goodVersion));
    await this.retire(badVersion);
    return applied;
  }

  async retire(version: string): Promise<void> {
    const current = await this.traffic();
    if ((current[version] ?? 0) > 0) {
      throw new TargetError(
        `${version} still receives ${current[version]}% of traffic`,
        'move its traffic to another version before retiring it',
      );
    }
    for (const instance of await listInstances(this.docker, this.scope, version)) {
      await this.router.removeServer(instance.server);
      await removeContainer(this.docker, instance.id);
    }
  }

  async teardown(): Promise<void> {
    for (const instance of await listInstances(this.docker, this.scope)) {
      await this.router.removeServer(instance.server);
      await removeContainer(this.docker, instance.id);
    }
    await removeNetwork(this.docker, this.scope, this.networkName);
  }

  private async runningInstances(): Promise<Instance[]> {
    return (await listInstances(this.docker, this.scope)).filter((i) => i.running);
  }

  private async versionOfServer(): Promise<(server: string) => string | undefined> {
    const map = new Map(
      (await listInstances(this.docker, this.scope)).map((i) => [i.server, i.version]),
    );
    return (server) => map.get(server);
  }

  private async allTo(version: string): Promise<TrafficWeights> {
    const weights: TrafficWeights = { [version]: 100 };
    for (const instance of await this.runningInstances()) {
      if (instance.version !== version) weights[instance.version] = 0;
    }
    return weights;
  }
}

function groupByVersion(instances: Instance[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const instance of instances) {
    groups.set(instance.version, [...(groups.get(instance.version) ?? []), instance.server]);
  }
  return groups;
}
