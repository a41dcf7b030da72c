/**
 * The local environment of the docker target: what releasing onto this machine needs (a Docker
 * Engine, started if needed; HAProxy and Prometheus per project and environment). The public
 * API for `prodsprint release` and `prodsprint sprint`; the other modules are its parts.
 */
export { connectDockerEngine } from './docker-engine.ts';
export type {
  ConnectDockerEngineOptions,
  DockerEngineConnection,
  DockerEngineSource,
} from './docker-engine.ts';
export {
  listLocalEnvironments,
  openLocalEnvironment,
  stopLocalEnvironment,
} from './environment.ts';
export type {
  LocalEnvironment,
  LocalEnvironmentInfo,
  OpenLocalEnvironmentOptions,
  StopLocalEnvironmentReport,
} from './environment.ts';
export { LocalEnvironmentError } from './errors.ts';
