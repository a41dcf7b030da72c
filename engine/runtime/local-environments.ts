/**
 * The local environments (staging, prod, ...) this process uses, opened once each: one Docker
 * connection for the process, one HAProxy + Prometheus per project and environment, kept
 * running between processes (engine/environments/local) so a restart finds traffic as it was.
 */
import type Docker from 'dockerode';
import {
  connectDockerEngine,
  openLocalEnvironment,
  type LocalEnvironment,
} from '../environments/local/index.ts';
import type { DockerTarget, EnvironmentRuntimeSpec } from '../targets/docker/docker-target.ts';
import type { HealthCheck } from '../targets/health-check.ts';

export interface ServicePorts {
  port: number;
  healthPath: string;
  /** Absent: an HTTP route check on healthPath. */
  health?: HealthCheck;
}

export interface LocalEnvironments {
  docker(): Promise<Docker>;
  open(projectId: string, environment: string, service: ServicePorts): Promise<LocalEnvironment>;
  /** Releases handles; the daemons keep running for the next process. */
  close(): Promise<void>;
}

export function localEnvironments(options: {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  onProgress?: (line: string) => void;
  /** What every version of a project's environment starts with (environment-runtime.ts). */
  runtime?: (
    projectId: string,
    environment: string,
    target: DockerTarget,
  ) => Promise<EnvironmentRuntimeSpec>;
}): LocalEnvironments {
  let docker: Promise<Docker> | undefined;
  const open = new Map<string, Promise<LocalEnvironment>>();
  const connect = () =>
    (docker ??= connectDockerEngine({
      dataDir: options.dataDir,
      env: options.env,
      startIfNeeded: true,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    }).then((connection) => connection.docker));
  return {
    docker: connect,
    open(projectId, environment, service) {
      const key = `${projectId}/${environment}`;
      let opened = open.get(key);
      if (!opened) {
        opened = connect().then((client) =>
          openLocalEnvironment({
            dataDir: options.dataDir,
            docker: client,
            projectId,
            environment,
            appPort: service.port,
            healthPath: service.healthPath,
            healthCheck: service.health?.kind ?? 'http',
            ...(options.runtime
              ? {
                  runtime: (target: DockerTarget) =>
                    options.runtime!(projectId, environment, target),
                }
              : {}),
            ...(options.onProgress ? { onProgress: options.onProgress } : {}),
          }),
        );
        opened.catch(() => open.delete(key));
        open.set(key, opened);
      }
      return opened;
    },
    async close() {
      for (const opened of open.values()) await (await opened.catch(() => undefined))?.close();
      open.clear();
    },
  };
}
