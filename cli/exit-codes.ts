import { problemKind, type Problem } from '../engine/contract/problem.ts';

/** Exit codes of every `prodsprint` command. Stable: scripts depend on them. */
export const EXIT = {
  ok: 0,
  /** The operation ran and failed (the Problem says why). */
  failed: 1,
  /** The command line is wrong: unknown command or option, missing or invalid argument. */
  usage: 2,
  /** `doctor`: a required check failed. */
  checkFailed: 3,
  /** The data dir or database cannot be used (not writable, corrupt, newer schema, locked). */
  store: 4,
  /** The operation exists in the contract but this build does not implement it yet. */
  notImplemented: 5,
  /** A policy gate blocked the operation, or capacity is exhausted: retry later or fix the cause. */
  blocked: 6,
  /** A bug in ProdSprint. */
  internal: 70,
} as const;

export function exitCodeFor(problem: Problem): number {
  switch (problemKind(problem)) {
    case 'validation-failed':
      return EXIT.usage;
    case 'not-implemented':
      return EXIT.notImplemented;
    case 'data-dir-not-writable':
    case 'database-unreadable':
    case 'database-newer-schema':
    case 'database-locked':
      return EXIT.store;
    case 'gate-blocked':
    case 'capacity-exceeded':
    case 'tool-missing':
      return EXIT.blocked;
    case 'internal':
      return EXIT.internal;
    default:
      return EXIT.failed;
  }
}

export const EXIT_CODES_HELP = `
Exit codes:
  0   success
  1   the operation failed (the message says why)
  2   usage error: unknown command or option, invalid argument
  3   doctor: a required check failed
  4   the data dir or database cannot be used (not writable, corrupt, newer schema, locked)
  5   not implemented in this build yet
  6   blocked by a policy gate, a missing tool, or capacity; fix the cause or retry
  70  internal error (a bug; please report it with --verbose output)`;
