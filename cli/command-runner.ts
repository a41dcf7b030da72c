import { CommanderError, type Command } from 'commander';
import {
  createEngine,
  createLogger,
  ProblemError,
  Redactor,
  type Engine,
} from '../engine/api/index.ts';
import {
  FIX_FIELDS_REMEDY,
  makeProblem,
  problemKind,
  type Problem,
} from '../engine/contract/problem.ts';
import { EXIT } from './exit-codes.ts';
import { emitProblem, emitResult, type Io, type OutputMode } from './output.ts';

export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
  verbose?: boolean;
}

export interface CommandContext {
  engine: Engine;
  mode: OutputMode;
  emit<T>(value: T, render: (value: T) => string): void;
  /** Progress for long work: stderr only, and silent with --json unless --verbose. */
  progress(message: string): void;
}

/**
 * Contract fields (without the `input.` prefix) → the flag a user types for them, where the two
 * differ in more than casing (`inputs.dnsDomain` → `--domain`). A field nested under a mapped
 * one takes its flag (`inputs.policies.packs.1` → `--packs`).
 */
export type FlagNames = Record<string, string>;

export type CommandRunner = (
  command: Command,
  body: (ctx: CommandContext) => Promise<number>,
  flagNames?: FlagNames,
) => Promise<void>;

/**
 * Wraps every command body: builds the engine from the global options, turns any failure into
 * one readable line (or a Problem document with --json) and records the exit code.
 */
export function createCommandRunner(
  io: Io,
  env: NodeJS.ProcessEnv,
  setExitCode: (code: number) => void,
): CommandRunner {
  return async (command, body, flagNames = {}) => {
    const globals = command.optsWithGlobals<GlobalOptions>();
    const mode: OutputMode = { json: Boolean(globals.json), io };
    const redactor = new Redactor();
    const logger = createLogger({
      redactor,
      level: globals.verbose ? 'debug' : 'warn',
      format: mode.json ? 'json' : 'text',
      write: (line) => io.stderr(`${line}\n`),
    });
    let engine: Engine | undefined;
    try {
      engine = createEngine({ dataDir: globals.dataDir, env, redactor, logger });
      const ctx: CommandContext = {
        engine,
        mode,
        emit: (value, render) => emitResult(mode, value, render),
        progress: (message) => {
          if (!mode.json || globals.verbose) io.stderr(`${redactor.redact(message)}\n`);
        },
      };
      setExitCode(await body(ctx));
    } catch (error) {
      // Usage errors raised inside an action belong to main(), which maps them to exit 2.
      if (error instanceof CommanderError) throw error;
      const problem =
        error instanceof ProblemError
          ? inCommandLineTerms(error.problem, command, flagNames)
          : redactor.redactValue(
              makeProblem('internal', {
                detail: error instanceof Error ? error.message : String(error),
              }),
            );
      if (globals.verbose && !(error instanceof ProblemError) && error instanceof Error)
        io.stderr(`${redactor.redact(error.stack ?? '')}\n`);
      setExitCode(emitProblem(mode, problem));
    } finally {
      // Stops driving runs when this command drove them: stages in flight are re-entered by
      // the next process that drives, never lost.
      await engine?.shutdown();
    }
  };
}

/**
 * The engine names fields as the contract does (`input.operatorEmail`); on the command line the
 * user typed `--operator-email`, so say that, and point at the command's own help.
 */
function inCommandLineTerms(problem: Problem, command: Command, flagNames: FlagNames): Problem {
  if (problemKind(problem) !== 'validation-failed' || !problem.errors?.length) return problem;
  const positional = new Set(command.registeredArguments.map((argument) => argument.name()));
  const flags = problem.errors.map(
    (error) => `${asFlag(error.field, positional, flagNames)}: ${error.message}`,
  );
  return {
    ...problem,
    detail: flags.join('; '),
    // A specific remedy from the engine is kept; the generic one points at the command's help.
    remedy:
      problem.remedy && problem.remedy !== FIX_FIELDS_REMEDY
        ? problem.remedy
        : `see \`prodsprint ${command.name()} --help\``,
  };
}

function asFlag(field: string, positional: Set<string>, flagNames: FlagNames): string {
  const name = field.replace(/^input\./, '');
  const mapped = Object.keys(flagNames)
    .filter((key) => name === key || name.startsWith(`${key}.`))
    .sort((a, b) => b.length - a.length)[0];
  if (mapped) return flagNames[mapped]!;
  if (positional.has(name)) return `<${name}>`;
  return `--${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

export { EXIT };
