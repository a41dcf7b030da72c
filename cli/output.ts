import type { Problem } from '../engine/contract/problem.ts';
import { exitCodeFor } from './exit-codes.ts';
import { commandFor } from './remedy-command.ts';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  isTty: boolean;
}

export const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTty: Boolean(process.stdout.isTTY),
};

export interface OutputMode {
  json: boolean;
  io: Io;
}

/**
 * Prints a command's result: with --json exactly one JSON document on stdout, otherwise the
 * readable rendering. Progress and logs never go to stdout.
 */
export function emitResult<T>(mode: OutputMode, value: T, render: (value: T) => string): void {
  mode.io.stdout(mode.json ? `${JSON.stringify(value, null, 2)}\n` : ensureNewline(render(value)));
}

/**
 * Reports a Problem: one readable line on stderr (what went wrong, then what to do), and with
 * --json the Problem itself as stdout's one document. Returns the exit code.
 */
export function emitProblem(mode: OutputMode, problem: Problem): number {
  const command = problem.action ? commandFor(problem.action) : undefined;
  const remedy = problem.remedy
    ? ` — ${problem.remedy}${command ? `: ${command}` : ''}`
    : command
      ? ` — ${command}`
      : '';
  mode.io.stderr(`prodsprint: ${oneLine(problem.detail)}${oneLine(remedy)}\n`);
  if (mode.json) mode.io.stdout(`${JSON.stringify(problem, null, 2)}\n`);
  return exitCodeFor(problem);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
