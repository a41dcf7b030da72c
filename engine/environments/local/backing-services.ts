/**
 * The backing services of a local staging/prod environment (issue 14): the PostgreSQL, MySQL
 * (MariaDB), Redis, RabbitMQ or MongoDB a service needs, running on the environment's app network
 * beside its versions, from the images built on this host. Unlike the tests stage's, these are
 * kept: one container per project, environment and datastore, found again by name and reused
 * while it runs, its data in a named volume (a redeploy, a restart or a new container keeps it),
 * its credentials generated once and kept in a 0600 file of the environment's dir. Each answers
 * to the repository's compose service names too (network aliases), and the app gets the env its
 * code reads (wireBackingServices) and the compose secrets it mounts as files, a datastore's
 * holding that datastore's generated password (wireBackingFiles).
 *
 * They carry labels of their own, not the docker target's: the target's teardown, traffic and
 * health only ever see the app's versions.
 */
import type Docker from 'dockerode';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  composeCredentials,
  composeNamesOf,
  datastoresOf,
  KINDS,
  logsOf,
  neededDatastores,
  NO_SIGNALS,
  readRepositorySignals,
  registerBackingFiles,
  unavailableBackingFiles,
  wireBackingFiles,
  wireBackingServices,
  type Credentials,
  type Datastore,
  type DatastoreKind,
  type RepositorySignals,
  type StartedBackingService,
} from '../../agents/test/index.ts';
import type { Fingerprint, Service } from '../../agents/repo-auditor/index.ts';
import type { Redactor } from '../../secrets/redact.ts';
import { withFileLock } from '../../system/file-lock.ts';
import { OfflineInputMissingError } from '../../system/offline-input.ts';
import { BaseImageInputMissingError } from '../../tools/base-images/index.ts';
import { ensureNetwork, removeNetwork } from '../../targets/docker/containers.ts';
import { slug } from '../../targets/docker/names.ts';
import { ContainerEngineError } from '../../targets/errors.ts';
import { credentialsFor, forgetCredentials } from './backing-credentials.ts';
import { environmentDir } from './state.ts';

export const BACKING_LABELS = {
  datastore: 'prodsprint.backing-service',
  project: 'prodsprint.backing-service.project',
  environment: 'prodsprint.backing-service.environment',
  spec: 'prodsprint.backing-service.spec',
} as const;
const READY_TIMEOUT_MS = 120_000;

export interface EnsureBackingServicesOptions {
  docker: Docker;
  dataDir: string;
  projectId: string;
  environment: string;
  /** The environment's app network (the DockerTarget's `networkName`). */
  network: string;
  service: Service;
  fingerprint: Fingerprint;
  /** The checkout, for what the fingerprint does not keep (drivers, URLs, compose values). */
  repoDir?: string;
  /** Every generated password is registered here on every call. */
  redactor: Redactor;
  onProgress?(line: string): void;
  signal?: AbortSignal;
}

export interface BackingServiceInfo {
  datastore: Datastore;
  container: string;
  /** Host and port on the environment network. */
  host: string;
  port: number;
  aliases: string[];
  volume: string;
  image: string;
  /** False when a running container was reused as it was. */
  started: boolean;
}

export interface BackingServices {
  /** For the app's containers (DeploySpec.env): holds the passwords. */
  env: Record<string, string>;
  /**
   * For the app's containers (DeploySpec.files): absolute path → content of the compose secrets
   * its compose service mounts. Holds the passwords; every content is registered with the
   * redactor.
   */
  files: Record<string, string>;
  /** One line for the plan and the summary, e.g. `PostgreSQL + Redis`; null when none. */
  description: string | null;
  services: BackingServiceInfo[];
}

/** Starts (or finds running) the datastores `service` needs; idempotent per environment. */
export async function ensureBackingServices(
  options: EnsureBackingServicesOptions,
): Promise<BackingServices> {
  const { service, fingerprint } = options;
  const signals = options.repoDir
    ? readRepositorySignals(options.repoDir, service, fingerprint)
    : NO_SIGNALS;
  const wanted = neededDatastores(datastoresOf(service, fingerprint, signals));
  if (wanted.length === 0)
    return { ...wired(options, [], signals), description: null, services: [] };
  const progress = options.onProgress ?? (() => undefined);
  const kinds = wanted.map((datastore) => KINDS[datastore]);
  // Images first: a missing one (MongoDB's) stops the deploy before anything was started.
  const images = await Promise.all(
    kinds.map((kind) =>
      kind.image(options.docker, progress).catch((error: unknown) => {
        // The host lacks the Debian packages the image is built from: an offline input.
        if (!(error instanceof BaseImageInputMissingError)) throw error;
        throw new OfflineInputMissingError(
          { kind: 'backing-service', name: kind.datastore },
          error.message,
          `install the packages the ${kind.title} image is built from: apt-get install -y --no-install-recommends ${error.packages.join(' ')}`,
        );
      }),
    ),
  );
  const dir = environmentDir(options.dataDir, options.projectId, options.environment);
  const scope = { project: options.projectId, environment: options.environment };
  await ensureNetwork(options.docker, scope, options.network);

  const services = await withFileLock(join(dir, 'backing-services.lock'), async () => {
    const hints = Object.fromEntries(
      wanted.map((datastore) => [datastore, composeCredentials(datastore, signals)]),
    );
    const credentials = credentialsFor(dir, kinds, options.redactor, hints);
    const out: Array<BackingServiceInfo & { credentials: Credentials }> = [];
    for (const [index, kind] of kinds.entries()) {
      options.signal?.throwIfAborted();
      const aliases = composeNamesOf(kind.datastore, service, fingerprint);
      const wantedCredentials = credentials.get(kind.datastore)!;
      const info = await ensureOne(options, kind, images[index]!, aliases, wantedCredentials);
      out.push({ ...info, credentials: wantedCredentials });
    }
    return out;
  });
  const started: StartedBackingService[] = services.map((s) => ({
    datastore: s.datastore,
    host: s.host,
    port: s.port,
    ...s.credentials,
  }));
  return {
    ...wired(options, started, signals),
    description: kinds.map((kind) => kind.title).join(' + '),
    services: services.map(({ credentials: _credentials, ...info }) => info),
  };
}

/** The app's env and files for `started`; file contents registered, missing ones said. */
function wired(
  options: EnsureBackingServicesOptions,
  started: StartedBackingService[],
  signals: RepositorySignals,
): Pick<BackingServices, 'env' | 'files'> {
  const { service, fingerprint } = options;
  const files = wireBackingFiles(service, fingerprint, started, signals);
  registerBackingFiles(files, options.redactor);
  // Paths and reasons only (never a content), still repository text: redacted.
  for (const why of unavailableBackingFiles(files, signals))
    options.onProgress?.(options.redactor.redact(`no file for the app at ${why}`));
  return { env: wireBackingServices(service, fingerprint, started, signals), files };
}

export interface StopBackingServicesReport {
  removedContainers: string[];
  removedVolumes: string[];
}

/**
 * Removes the environment's backing service containers; their volumes (and the credentials
 * that open them) only with `removeVolumes`. With `network`, also removes the environment's app
 * network when nothing else is attached to it (the target's teardown leaves it while these run).
 */
export async function stopBackingServices(
  dataDir: string,
  projectId: string,
  environment: string,
  docker: Docker,
  options: { removeVolumes?: boolean; network?: string } = {},
): Promise<StopBackingServicesReport> {
  const filters = JSON.stringify({
    label: [
      `${BACKING_LABELS.project}=${projectId}`,
      `${BACKING_LABELS.environment}=${environment}`,
    ],
  });
  const report: StopBackingServicesReport = { removedContainers: [], removedVolumes: [] };
  for (const found of await docker.listContainers({ all: true, filters })) {
    const container = docker.getContainer(found.Id);
    await container.stop({ t: 10 }).catch(() => undefined);
    await container.remove({ force: true });
    report.removedContainers.push((found.Names[0] ?? found.Id).replace(/^\//, ''));
  }
  if (options.removeVolumes) {
    const { Volumes } = await docker.listVolumes({ filters });
    for (const volume of Volumes ?? []) {
      await docker.getVolume(volume.Name).remove();
      report.removedVolumes.push(volume.Name);
    }
    forgetCredentials(environmentDir(dataDir, projectId, environment));
  }
  if (options.network)
    await removeNetwork(docker, { project: projectId, environment }, options.network);
  return report;
}

/** Names of one datastore of one environment: the same every time, so a rerun finds them. */
export function backingNames(projectId: string, environment: string, datastore: Datastore) {
  const base = `ps-${slug(projectId)}-${slug(environment)}-backing-${datastore}`;
  return { container: base, volume: `${base}-data` };
}

async function ensureOne(
  options: EnsureBackingServicesOptions,
  kind: DatastoreKind,
  image: string,
  aliases: string[],
  credentials: Credentials,
): Promise<BackingServiceInfo> {
  const { docker } = options;
  const progress = options.onProgress ?? (() => undefined);
  const names = backingNames(options.projectId, options.environment, kind.datastore);
  const labels = {
    [BACKING_LABELS.datastore]: kind.datastore,
    [BACKING_LABELS.project]: options.projectId,
    [BACKING_LABELS.environment]: options.environment,
  };
  const imageId = (await docker.getImage(image).inspect()).Id;
  // What makes a container right: its image, credentials, network and names. The hash is of
  // the password too: a label never holds it in clear.
  const spec = createHash('sha256')
    .update(JSON.stringify([imageId, credentials, options.network, aliases]))
    .digest('hex')
    .slice(0, 16);
  const info = { ...names, host: names.container, port: kind.port, aliases, image };
  const existing = await docker
    .getContainer(names.container)
    .inspect()
    .catch(() => undefined);
  if (existing?.Config.Labels?.[BACKING_LABELS.spec] === spec) {
    const container = docker.getContainer(existing.Id);
    if (existing.State.Running) {
      progress(`reusing ${kind.title} ${names.container}`);
      // Running is not ready: it may have just been restarted (the engine or the machine was).
      await waitReady(options, kind, container, credentials);
      return { ...info, datastore: kind.datastore, started: false };
    }
    await container.start();
    progress(`started ${kind.title} ${names.container} again (data in volume ${names.volume})`);
    await waitReady(options, kind, container, credentials);
    return { ...info, datastore: kind.datastore, started: true };
  }
  if (existing) {
    // Another image (rebuilt from upgraded packages) or other credentials: a new container on
    // the same volume, so the data stays.
    progress(`replacing ${kind.title} ${names.container} (image or settings changed; data kept)`);
    await docker
      .getContainer(existing.Id)
      .stop({ t: 10 })
      .catch(() => undefined);
    await docker.getContainer(existing.Id).remove({ force: true });
  }
  await docker.createVolume({ Name: names.volume, Labels: labels });
  const also = aliases.length > 0 ? ` (also ${aliases.join(', ')})` : '';
  progress(`starting ${kind.title} (${image}) as ${names.container}${also} on ${options.network}`);
  const container = await docker
    .createContainer({
      name: names.container,
      Image: image,
      ...(kind.user ? { User: kind.user } : {}),
      ...(kind.persistent ? { Entrypoint: kind.persistent.entrypoint } : {}),
      Env: kind.env(credentials),
      Labels: { ...labels, [BACKING_LABELS.spec]: spec },
      HostConfig: {
        NetworkMode: options.network,
        RestartPolicy: { Name: 'unless-stopped' },
        Mounts: [{ Type: 'volume', Source: names.volume, Target: kind.dataDir }],
        CapDrop: ['ALL'],
        ...(kind.user ? {} : { CapAdd: ['CHOWN', 'SETUID', 'SETGID', 'DAC_OVERRIDE', 'FOWNER'] }),
        SecurityOpt: ['no-new-privileges'],
        PidsLimit: 512,
        ...(kind.tmpfs ? { Tmpfs: { '/tmp': 'rw,nosuid,nodev,mode=1777' } } : {}),
      },
      NetworkingConfig: { EndpointsConfig: { [options.network]: { Aliases: aliases } } },
    })
    .catch((error: Error) => {
      throw new ContainerEngineError(
        `cannot create ${names.container}: ${error.message}`,
        'check that the Docker Engine answers and has disk space, then deploy again',
      );
    });
  await container.start();
  await waitReady(options, kind, container, credentials);
  return { ...info, datastore: kind.datastore, started: true };
}

/** Polls the kind's readiness; a container that exits meanwhile fails with its log's tail. */
async function waitReady(
  options: EnsureBackingServicesOptions,
  kind: DatastoreKind,
  container: Docker.Container,
  credentials: Credentials,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    options.signal?.throwIfAborted();
    const state = (await container.inspect()).State;
    if (!state.Running) {
      const log = (await logsOf(container)).trim().split('\n').slice(-10).join('\n');
      throw new ContainerEngineError(
        `${kind.title} exited (${state.ExitCode}) before it was ready:\n${options.redactor.redact(log)}`,
        `read the rest with docker logs ${(await container.inspect()).Name.replace(/^\//, '')}; if its data volume is damaged, stop the environment's backing services with their volumes and deploy again`,
      );
    }
    if (await kind.ready(options.docker, container, credentials).catch(() => false)) {
      options.onProgress?.(`${kind.title} ready`);
      return;
    }
    if (Date.now() > deadline)
      throw new ContainerEngineError(
        `${kind.title} did not accept connections within ${READY_TIMEOUT_MS / 1000} s`,
        'the machine may be overloaded: deploy again (the running container is reused)',
      );
    await sleep(250, undefined, options.signal ? { signal: options.signal } : {});
  }
}
