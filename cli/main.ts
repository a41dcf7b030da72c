import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { makeProblem } from '../engine/contract/problem.ts';
import { createCommandRunner } from './command-runner.ts';
import { registerAudit } from './commands/audit.ts';
import { registerConfig } from './commands/config.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerEnv } from './commands/env.ts';
import { registerImages } from './commands/images.ts';
import { registerImport } from './commands/import.ts';
import { registerInit } from './commands/init.ts';
import { registerApprove } from './commands/approve.ts';
import { registerPlan } from './commands/plan.ts';
import { registerPolicy } from './commands/policy.ts';
import { registerProjects } from './commands/projects.ts';
import { registerRelease } from './commands/release.ts';
import { registerRuns } from './commands/runs.ts';
import { registerSprint } from './commands/sprint.ts';
import { registerTools } from './commands/tools.ts';
import { registerServe } from './commands/serve.ts';
import { registerTour } from './commands/tour.ts';
import { registerVersion } from './commands/version.ts';
import { registerVulns } from './commands/vulns.ts';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.ts';
import { emitProblem, processIo, type Io } from './output.ts';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export function buildProgram(
  io: Io,
  env: NodeJS.ProcessEnv,
  setExitCode: (code: number) => void,
): Command {
  const output = {
    writeOut: (text: string) => io.stdout(text),
    writeErr: (text: string) => io.stderr(text),
  };
  const program = new Command('prodsprint')
    .description('ProdSprint: take a Git repository from import to compliant production, offline.')
    .option(
      '--data-dir <dir>',
      'where the database, keys and artifacts live (default: $PRODSPRINT_HOME, else $XDG_DATA_HOME/prodsprint)',
    )
    .version(version, '-V, --version', 'print the ProdSprint version')
    .option('--json', 'print exactly one JSON document on stdout (progress and logs go to stderr)')
    .option('--verbose', 'log details (and stack traces of internal errors) to stderr')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP)
    .configureOutput(output)
    .exitOverride();

  const run = createCommandRunner(io, env, setExitCode);
  registerSprint(program, run);
  registerInit(program, run);
  registerDoctor(program, run);
  registerVersion(program, run);
  registerTour(program, run);
  registerImport(program, run);
  registerAudit(program, run);
  registerProjects(program, run);
  registerRuns(program, run);
  registerPlan(program, run);
  registerApprove(program, run);
  registerRelease(program, run);
  registerPolicy(program, run);
  registerTools(program, run);
  registerVulns(program, run);
  registerConfig(program, run);
  registerEnv(program, run);
  registerImages(program, run);
  registerServe(program, run);
  for (const command of program.commands) command.exitOverride().configureOutput(output);
  return program;
}

/** Runs the CLI and returns the process exit code. */
export async function main(
  argv: string[],
  io: Io = processIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, env, (code) => (exitCode = code));
  const json = argv.includes('--json');
  if (json) {
    // With --json, stdout carries only the one document: commander's own messages go to stderr.
    program.configureOutput({
      writeOut: (text) => io.stderr(text),
      writeErr: (text) => io.stderr(text),
    });
  }
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return EXIT.ok;
      // Commander has already printed its message on stderr.
      if (json) {
        io.stdout(
          `${JSON.stringify(makeProblem('validation-failed', { detail: error.message.replace(/^error: /, ''), remedy: 'run with --help for usage' }), null, 2)}\n`,
        );
      }
      return EXIT.usage;
    }
    return emitProblem(
      { json, io },
      makeProblem('internal', { detail: error instanceof Error ? error.message : String(error) }),
    );
  }
}
