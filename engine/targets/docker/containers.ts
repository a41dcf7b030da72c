/**
 * Container and network effects of the docker target through dockerode. Each function converges:
 * it inspects first and only creates, starts or removes what is not already so. A version's files
 * (DeploySpec.files) go in through the archive API (files-archive.ts), never through the host.
 */
import type Docker from 'dockerode';
import { ContainerEngineError, VersionConflictError } from '../errors.ts';
import type { DeploySpec } from '../target.ts';
import { FILES_LABEL, filesArchive, filesDigest } from './files-archive.ts';
import { LABELS, containerName, scopeFilter, scopeLabels, serverName, specHash } from './names.ts';
import type { Scope } from './names.ts';

export interface Instance {
  id: string;
  version: string;
  replica: number;
  server: string;
  running: boolean;
  /** IP address per network the container is attached to. */
  addresses: Record<string, string>;
}

export interface PlacedContainer {
  id: string;
  address: string;
  changed: boolean;
}

export async function ensureNetwork(
  docker: Docker,
  scope: Scope,
  name: string,
  subnet?: string,
): Promise<void> {
  const existing = await docker
    .getNetwork(name)
    .inspect()
    .catch(() => undefined);
  if (existing) return;
  await docker
    .createNetwork({
      Name: name,
      Driver: 'bridge',
      CheckDuplicate: true,
      Labels: scopeLabels(scope),
      ...(subnet ? { IPAM: { Config: [{ Subnet: subnet }] } } : {}),
    })
    .catch(async (error: Error) => {
      // Lost a race with a concurrent provision: the network exists, which is the goal.
      if (
        !(await docker
          .getNetwork(name)
          .inspect()
          .catch(() => undefined))
      ) {
        throw new ContainerEngineError(`cannot create network ${name}: ${error.message}`);
      }
    });
}

/** Removes the scope's network when this target created it (labelled) and it is empty. */
export async function removeNetwork(docker: Docker, scope: Scope, name: string): Promise<void> {
  const info = await docker
    .getNetwork(name)
    .inspect()
    .catch(() => undefined);
  if (!info || info.Labels?.[LABELS.project] !== scope.project) return;
  if (info.Labels?.[LABELS.environment] !== scope.environment) return;
  if (Object.keys(info.Containers ?? {}).length > 0) return;
  await docker.getNetwork(name).remove();
}

export interface VersionContainer {
  scope: Scope;
  spec: DeploySpec;
  replica: number;
  port: number;
  network: string;
}

/**
 * Creates and starts one replica of a version, or finds it; refuses a changed spec. The spec's
 * files go in after create and before start (again before any later start: a crash in between
 * leaves a created container without them). A container whose files differ from the spec's is
 * replaced: the files are what the environment hands the version (a password it rotated), not
 * what the version is, so unlike the image or env they do not make it another version.
 */
export async function ensureVersionContainer(
  docker: Docker,
  wanted: VersionContainer,
): Promise<PlacedContainer> {
  const name = containerName(wanted.scope, wanted.spec.version, wanted.replica);
  const hash = specHash(wanted.spec, wanted.port);
  const files = wanted.spec.files ?? {};
  const digest = filesDigest(files);
  let info = await docker
    .getContainer(name)
    .inspect()
    .catch(() => undefined);
  let changed = false;
  if (info?.Config.Labels?.[LABELS.specHash] === hash && digestOf(info) !== digest) {
    await removeContainer(docker, info.Id);
    info = undefined;
  }
  if (!info) {
    await assertImagePresent(docker, wanted.spec.image);
    await docker
      .createContainer({
        name,
        Image: wanted.spec.image,
        Env: Object.entries(wanted.spec.env ?? {}).map(([k, v]) => `${k}=${v}`),
        Labels: {
          ...scopeLabels(wanted.scope),
          [LABELS.version]: wanted.spec.version,
          [LABELS.replica]: String(wanted.replica),
          [LABELS.specHash]: hash,
          [FILES_LABEL]: digest,
        },
        ExposedPorts: { [`${wanted.port}/tcp`]: {} },
        HostConfig: { NetworkMode: wanted.network, RestartPolicy: { Name: 'unless-stopped' } },
      })
      .catch((error: Error & { statusCode?: number }) => {
        if (error.statusCode !== 409)
          throw new ContainerEngineError(`cannot create ${name}: ${error.message}`);
      });
    changed = true;
    info = await docker.getContainer(name).inspect();
  }
  if (info.Config.Labels?.[LABELS.specHash] !== hash) {
    throw new VersionConflictError(
      `${wanted.spec.version} is already deployed as ${name} with another image or environment`,
      'versions are immutable: deploy the change as a new version',
    );
  }
  if (!info.State.Running) {
    if (Object.keys(files).length > 0) await putFiles(docker, info.Id, name, files);
    await docker
      .getContainer(info.Id)
      .start()
      .catch((error: Error & { statusCode?: number }) => {
        if (error.statusCode !== 304)
          throw new ContainerEngineError(`cannot start ${name}: ${error.message}`);
      });
    changed = true;
    info = await docker.getContainer(info.Id).inspect();
  }
  const address = info.NetworkSettings.Networks[wanted.network]?.IPAddress;
  if (!address)
    throw new ContainerEngineError(`${name} has no address on network ${wanted.network}`);
  return { id: info.Id, address, changed };
}

/** The digest of the files a container was made with; one made before files had none. */
function digestOf(info: Docker.ContainerInspectInfo): string {
  return info.Config.Labels?.[FILES_LABEL] ?? filesDigest({});
}

/** Puts `files` into a container that is not running (read-only, parents made by the engine). */
async function putFiles(
  docker: Docker,
  id: string,
  name: string,
  files: Record<string, string>,
): Promise<void> {
  // The message names the container and the paths, never a content: the contents are secrets.
  await docker
    .getContainer(id)
    .putArchive(filesArchive(files), { path: '/' })
    .catch((error: Error) => {
      throw new ContainerEngineError(
        `cannot put ${Object.keys(files).join(', ')} into ${name}: ${error.message}`,
        'check that the Docker Engine answers and has disk space, then deploy again (the container is reused)',
      );
    });
}

async function assertImagePresent(docker: Docker, image: string): Promise<void> {
  const present = await docker
    .getImage(image)
    .inspect()
    .catch(() => undefined);
  if (!present) {
    throw new ContainerEngineError(
      `image ${image} is not on this Docker Engine`,
      'build it or load it from a file (docker load); ProdSprint never pulls from a registry',
    );
  }
}

export async function listInstances(
  docker: Docker,
  scope: Scope,
  version?: string,
): Promise<Instance[]> {
  const containers = await docker.listContainers({
    all: true,
    filters: scopeFilter(scope, version),
  });
  return containers
    .map((c) => {
      const v = c.Labels[LABELS.version] ?? '';
      const replica = Number(c.Labels[LABELS.replica] ?? 0);
      return {
        id: c.Id,
        version: v,
        replica,
        server: serverName(v, replica),
        running: c.State === 'running',
        addresses: Object.fromEntries(
          Object.entries(c.NetworkSettings?.Networks ?? {}).map(([net, n]) => [net, n.IPAddress]),
        ),
      };
    })
    .sort((a, b) => a.version.localeCompare(b.version) || a.replica - b.replica);
}

/** Stops with SIGTERM (the app finishes in-flight requests), then removes. */
export async function removeContainer(docker: Docker, id: string): Promise<void> {
  const container = docker.getContainer(id);
  await container.stop({ t: 10 }).catch(() => undefined);
  await container.remove({ force: true }).catch((error: Error & { statusCode?: number }) => {
    if (error.statusCode !== 404)
      throw new ContainerEngineError(`cannot remove ${id}: ${error.message}`);
  });
}
