import { fileURLToPath } from 'node:url';
import { openAuditLog, type AuditLog } from '../audit/index.ts';
import { Redactor } from '../secrets/redact.ts';
import { resolveDataDir } from '../store/data-dir.ts';
import { openStore, type Store } from '../store/database.ts';
import { createLogger, type Logger } from '../telemetry/logger.ts';
import { createRunHost, type RunHost } from '../runtime/run-host.ts';
import type { HandlerContext } from './handler-context.ts';
import { handlers, notImplemented, type Handler } from './handlers.ts';
import {
  operations,
  type InputOf,
  type OperationName,
  type OutputOf,
} from '../contract/operations.contract.ts';
import {
  fieldErrorsOf,
  FIX_FIELDS_REMEDY,
  problemKind,
  ProblemError,
} from '../contract/problem.ts';
import type { SprintPorts } from '../agents/sprint/index.ts';
import { sprintPorts } from './sprint-ports.ts';
import { toProblem } from './to-problem.ts';

export interface EngineOptions {
  /** `--data-dir`; else PRODSPRINT_HOME; else the OS default. */
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  redactor?: Redactor;
  logger?: Logger;
}

export interface Engine {
  readonly dataDir: string;
  readonly redactor: Redactor;
  /**
   * Runs one operation of the contract. The input is parsed against the operation's schema and
   * the output checked against its own; any failure is thrown as a redacted ProblemError.
   */
  invoke<N extends OperationName>(name: N, input: InputOf<N>): Promise<OutputOf<N>>;
  /**
   * Makes this process execute the runs of its data dir (the desktop app, `serve`, or a CLI
   * command that waits for its run). Throws a conflict Problem while another process drives.
   */
  driveRuns(): void;
  /** The run engine, for live events of a run this process submitted or drives. */
  runs(): RunHost;
  /** Stops driving runs (stages in flight are re-entered by the next driver), then closes. */
  shutdown(): Promise<void>;
  close(): void;
}

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function createEngine(options: EngineOptions = {}): Engine {
  const env = options.env ?? process.env;
  const dataDir = resolveDataDir({ flag: options.dataDir, env });
  const redactor = options.redactor ?? new Redactor();
  const logger = options.logger ?? createLogger({ redactor, level: 'warn' });
  let store: Store | undefined;
  let auditLog: AuditLog | undefined;
  let runHost: RunHost | undefined;
  let ports: SprintPorts | undefined;

  const ctx: HandlerContext = {
    dataDir,
    projectRoot: PROJECT_ROOT,
    redactor,
    logger,
    env,
    store: () => (store ??= openStore(dataDir)),
    audit: () => (auditLog ??= openWorkstationAudit(ctx)),
    runs: () => (runHost ??= createRunHost(ctx)),
    sprintPorts: () => (ports ??= sprintPorts(engine.invoke.bind(engine), ctx)),
  };

  const engine: Engine = {
    dataDir,
    redactor,
    async invoke<N extends OperationName>(name: N, rawInput: InputOf<N>): Promise<OutputOf<N>> {
      try {
        const spec = operations[name];
        if (!spec)
          throw ProblemError.of('not-found', {
            detail: `there is no operation named ${String(name)}`,
          });
        const parsed = spec.input.safeParse(rawInput ?? {});
        if (!parsed.success) {
          const errors = fieldErrorsOf(parsed.error, 'input');
          throw ProblemError.of('validation-failed', {
            detail: `${name}: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
            errors,
            remedy: FIX_FIELDS_REMEDY,
          });
        }
        const handler = handlers[name] as Handler<N> | undefined;
        if (!handler) throw notImplemented(name);
        const output = await handler(parsed.data as never, ctx);
        const checked = spec.output.safeParse(output);
        if (!checked.success)
          throw new Error(
            `${name} produced output that breaks its own contract: ${checked.error.message}`,
          );
        return checked.data as OutputOf<N>;
      } catch (error) {
        const problem = toProblem(error, redactor);
        if (problemKind(problem) === 'internal')
          logger.error(problem.detail, { operation: name, type: problem.type });
        throw new ProblemError(problem);
      }
    },
    driveRuns: () => {
      try {
        ctx.runs().drive();
      } catch (error) {
        throw new ProblemError(toProblem(error, redactor));
      }
    },
    runs: () => ctx.runs(),
    async shutdown() {
      await runHost?.stop();
      runHost = undefined;
      store?.close();
      store = undefined;
      auditLog = undefined;
    },
    close: () => {
      store?.close();
      store = undefined;
      auditLog = undefined;
    },
  };
  return engine;
}

/**
 * Headless workstations seal the audit key with PRODSPRINT_KEY_PASSPHRASE when it is set, and
 * otherwise keep it in a file only this user may read (the desktop app will use safeStorage).
 */
function openWorkstationAudit(ctx: HandlerContext): AuditLog {
  const passphrase = ctx.env.PRODSPRINT_KEY_PASSPHRASE || undefined;
  if (passphrase && passphrase.length >= 4) ctx.redactor.register(passphrase);
  return openAuditLog({
    db: ctx.store().db,
    dataDir: ctx.dataDir,
    redactor: ctx.redactor,
    passphrase,
  });
}
