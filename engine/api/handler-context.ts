import type { AuditLog } from '../audit/index.ts';
import type { Redactor } from '../secrets/redact.ts';
import type { Store } from '../store/database.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { RunHost } from '../runtime/run-host.ts';
import type { SprintPorts } from '../agents/sprint/index.ts';

/** What every handler may use. The store opens on first use, so read-only checks need no DB. */
export interface HandlerContext {
  dataDir: string;
  projectRoot: string;
  redactor: Redactor;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  store(): Store;
  /**
   * The signed audit chain of this data dir: the workstation key (made on first use) and the
   * sink every state change appends to inside its own transaction (invariant 2).
   */
  audit(): AuditLog;
  /**
   * The run engine with every run definition, made on first use. It only records submissions
   * unless this process drives runs (`Engine.driveRuns()`).
   */
  runs(): RunHost;
  /** Operations of the contract as a sprint run calls them (engine/api/sprint-ports.ts). */
  sprintPorts(): SprintPorts;
}
