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

export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  /** What the user can do about it. */
  remedy: z.string().optional(),
  errors: z.array(FieldError).optional(),
  /** Seconds to wait before retrying (capacity-exceeded). */
  retryAfter: z.number().nonnegative().optional(),
});
export type Problem = z.infer<typeof Problem>;

export interface ProblemInit {
  detail: string;
  remedy?: string;
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

/** The remedy of a validation Problem that has nothing more specific to say. */
export const FIX_FIELDS_REMEDY = 'fix the fields named above';

/** Field errors from a zod failure, with paths rooted at `root` (e.g. `input`). */
export function fieldErrorsOf(error: z.ZodError, root: string): FieldError[] {
  return error.issues.map((issue) => ({
    field: [root, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}
