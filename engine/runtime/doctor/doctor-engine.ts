/**
 * The Docker Engine doctor asks, found in the order sprints find it
 * (engine/environments/local/docker-engine.ts: DOCKER_HOST, PRODSPRINT_DOCKER_SOCKET, the system
 * socket, ProdSprint's own dockerd) but read-only: doctor starts nothing and adopts nothing, so
 * it reports the engine a sprint would use, not just /var/run/docker.sock.
 */
import Docker from 'dockerode';
import type { DockerOptions } from 'dockerode';
import {
  dockerOptionsForHost,
  SYSTEM_DOCKER_SOCKET,
} from '../../environments/local/docker-engine.ts';
import { dockerdPaths, localDockerDir, socketAnswers } from '../../environments/local/dockerd.ts';
import { PROBE_TIMEOUT_MS } from '../../system/http-probe.ts';

/** What doctor asks of an engine. */
export type DoctorDocker = Pick<Docker, 'version' | 'listImages'>;

export async function locateDockerEngine(env: NodeJS.ProcessEnv): Promise<DoctorDocker> {
  const client = (options: DockerOptions) => new Docker({ ...options, timeout: PROBE_TIMEOUT_MS });
  // dockerode merges DOCKER_HOST from process.env into its defaults, where a host wins over a
  // socket path: clear it, so the socket chosen is the socket asked.
  const socket = (socketPath: string) =>
    client({ socketPath, host: undefined, port: undefined, protocol: 'http' } as DockerOptions);
  if (env.DOCKER_HOST) {
    try {
      return client(dockerOptionsForHost(env.DOCKER_HOST, env));
    } catch (error) {
      // An unusable DOCKER_HOST is what the Docker check must report, not another engine.
      return unusable(error as Error);
    }
  }
  if (env.PRODSPRINT_DOCKER_SOCKET) return socket(env.PRODSPRINT_DOCKER_SOCKET);
  const own = dockerdPaths(localDockerDir(env)).socket;
  const [system, prodsprint] = await Promise.all([
    socketAnswers(SYSTEM_DOCKER_SOCKET),
    socketAnswers(own),
  ]);
  if (!system && prodsprint) return socket(own);
  return socket(SYSTEM_DOCKER_SOCKET);
}

function unusable(error: Error): DoctorDocker {
  return {
    version: () => Promise.reject(error),
    listImages: () => Promise.reject(error),
  } as unknown as DoctorDocker;
}
