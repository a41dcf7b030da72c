/**
 * The engine's documented entry point for adapters (cli/, main/). Adapters import from here and
 * from the *.contract.ts files, never from engine internals (enforced by lint).
 */
export { createEngine, type Engine, type EngineOptions } from './engine.ts';
export * from '../contract/operations.contract.ts';
export * from '../contract/problem.ts';
export {
  SprintInfo,
  SprintPhase,
  SprintSummary,
  type Rollout,
} from '../contract/sprints.contract.ts';
export { Redactor, MASK } from '../secrets/redact.ts';
export { createLogger, type Logger, type LogLevel } from '../telemetry/logger.ts';
export { resolveDataDir } from '../store/data-dir.ts';
// The run progress view (a listr2 display per stage in a terminal, plain lines otherwise), for
// adapters that follow a run; it reads events through a source the adapter provides.
export {
  formatEventLine,
  isTerminal,
  splitRemedy,
  watchRun,
  type RunEventSource,
} from '../runs/index.ts';
export { startSyntheticTraffic, type SyntheticTraffic } from '../runtime/synthetic-traffic.ts';
