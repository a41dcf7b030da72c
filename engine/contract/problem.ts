/**
 * Problem Details (RFC 9457): the one error shape every transport carries. The `type` URIs are
 * stable identifiers that clients switch on; `title` is fixed per type; `detail` says what went
 * wrong this time and what to do about it.
 *
 * This file is part of the contract: it imports only zod, so the renderer can use it.
 */
import { z } from 'zod';

const PROBLEM_BASE = 'https://prodsprint.dev/problems/';

/** Every problem type the API can return, with its HTTP status and fixed title. */
export const PROBLEM_TYPES = {
  'validation-failed': { status: 400, title: 'The request is not valid' },
  unauthorized: { status: 401, title: 'Authentication required' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflicts with the current state' },
  'payload-too-large': { status: 413, title: 'Request body too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'capacity-exceeded': { status: 429, title: 'Too many runs in progress' },
  'not-implemented': { status: 501, title: 'Not implemented yet' },
  'data-dir-not-writable': { status: 500, title: 'The data directory is not writable' },
  'database-unreadable': { status: 500, title: 'The database file cannot be used' },
  'database-newer-schema': { status: 500, title: 'The database was written by a newer ProdSprint' },
  'database-locked': { status: 503, title: 'The database is locked by another process' },
  'gate-blocked': { status: 422, title: 'A policy gate blocked the operation' },
  'import-failed': { status: 422, title: 'The repository could not be imported' },
  'tool-missing': { status: 424, title: 'A required external tool is not available' },
  internal: { status: 500, title: 'Internal error' },
} as const;

export type ProblemKind = keyof typeof PROBLEM_TYPES;

export function problemTypeUri(kind: ProblemKind): string {
  return `${PROBLEM_BASE}${kind}`;
}

export const FieldError = z.object({
  /** Dotted path of the offending field, e.g. `input.environments.0.name`. */
  field: z.string(),
  message: z.string(),
});
export type FieldError = z.infer<typeof FieldError>;

/**
 * The remedy as something to do, not only to read: an operation of the contract and its input.
 * The CLI prints it as the command that runs it; the desktop app renders it as a button. The
 * text (`remedy`) says the same for a person, without naming any one client's syntax.
 */
export const RemedyAction = z.object({
  operation: z.string(),
  input: z.record(z.string(), z.unknown()),
  /** A short label for a button: "Approve the plan". */
  label: z.string(),
});
export type RemedyAction = z.infer<typeof RemedyAction>;

export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  /** What the user can do about it. */
  remedy: z.string().optional(),
  /** The remedy as an operation to run, when there is one. */
  action: RemedyAction.optional(),
  errors: z.array(FieldError).optional(),
  /** Seconds to wait before retrying (capacity-exceeded). */
  retryAfter: z.number().nonnegative().optional(),
});
export type Problem = z.infer<typeof Problem>;

export interface ProblemInit {
  detail: string;
  remedy?: string;
  action?: RemedyAction;
  instance?: string;
  errors?: FieldError[];
  retryAfter?: number;
}

export function makeProblem(kind: ProblemKind, init: ProblemInit): Problem {
  const { status, title } = PROBLEM_TYPES[kind];
  return { type: problemTypeUri(kind), title, status, ...init };
}

/** The kind of a problem, recovered from its type URI (undefined for foreign types). */
export function problemKind(problem: Pick<Problem, 'type'>): ProblemKind | undefined {
  if (!problem.type.startsWith(PROBLEM_BASE)) return undefined;
  const kind = problem.type.slice(PROBLEM_BASE.length);
  return kind in PROBLEM_TYPES ? (kind as ProblemKind) : undefined;
}

/** A Problem thrown through code; adapters catch it and serialise `problem` as is. */
export class ProblemError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail);
    this.name = 'ProblemError';
    this.problem = problem;
  }

  static of(kind: ProblemKind, init: ProblemInit): ProblemError {
    return new ProblemError(makeProblem(kind, init));
  }
}

/** What a person can do about an engine error: words, and the operation that does it, if any. */
export interface Remedy {
  text: string;
  action?: RemedyAction;
}

/**
 * The engine's one error model: a kind (which Problem type it becomes), what went wrong this
 * time, and the remedy. Errors below the API extend it, and `toProblem` maps every one the same
 * way, so a new error class needs no new mapping. Part of the contract because every engine
 * folder may throw it (it imports nothing).
 */
export class EngineError extends Error {
  readonly kind: ProblemKind;
  /** What to do, in words (never empty when set). */
  readonly remedy: string | undefined;
  /** The remedy as an operation to run, when there is one. */
  readonly action: RemedyAction | undefined;
  /** The file or resource the error is about (a Problem's `instance`). */
  readonly instance: string | undefined;

  constructor(
    kind: ProblemKind,
    detail: string,
    remedy?: Remedy | string,
    options?: { instance?: string; cause?: unknown },
  ) {
    super(detail, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EngineError';
    this.kind = kind;
    this.remedy = typeof remedy === 'string' ? remedy : remedy?.text;
    this.action = typeof remedy === 'string' ? undefined : remedy?.action;
    this.instance = options?.instance;
  }

  toProblem(): Problem {
    return makeProblem(this.kind, {
      detail: this.message,
      ...(this.remedy ? { remedy: this.remedy } : {}),
      ...(this.action ? { action: this.action } : {}),
      ...(this.instance ? { instance: this.instance } : {}),
    });
  }
}

/** The remedy of a validation Problem that has nothing more specific to say. */
export const FIX_FIELDS_REMEDY = 'fix the fields named above';

/** Field errors from a zod failure, with paths rooted at `root` (e.g. `input`). */
export function fieldErrorsOf(error: z.ZodError, root: string): FieldError[] {
  return error.issues.map((issue) => ({
    field: [root, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}
