// Errors raised by the parser, compiler and evaluator. The text format follows OPA:
// "<file>:<row>: <code>: <message>" when a location is known, else "<code>: <message>".

/** Source position of a node. */
export type Location = { file: string; row: number; col: number };

/** Codes used by OPA for parse, compile and evaluation errors. */
export type ErrorCode =
  | 'rego_parse_error'
  | 'rego_compile_error'
  | 'rego_unsafe_var_error'
  | 'rego_type_error'
  | 'eval_type_error'
  | 'eval_builtin_error'
  | 'eval_conflict_error'
  | 'eval_cancel_error'
  | 'rego_recursion_error'
  | 'eval_internal_error';

/** An error with an OPA error code and an optional file:row:col location. */
export class RegoError extends Error {
  readonly code: ErrorCode;
  readonly detail: string;
  readonly location: Location | undefined;

  constructor(code: ErrorCode, detail: string, location?: Location) {
    const where = location ? `${location.file}:${location.row}: ` : '';
    super(`${where}${code}: ${detail}`);
    this.name = 'RegoError';
    this.code = code;
    this.detail = detail;
    this.location = location;
  }

  /** The same error with a location attached when it had none. */
  at(location: Location | undefined): RegoError {
    return this.location || !location ? this : new RegoError(this.code, this.detail, location);
  }
}

/** A failure inside a builtin; undefined unless strict builtin errors are on. */
export class BuiltinError extends RegoError {}

/** Raise an eval_type_error for a builtin operand. */
export function typeError(fn: string, detail: string): never {
  throw new BuiltinError('eval_type_error', `${fn}: ${detail}`);
}

/** Raise an eval_builtin_error. */
export function builtinError(fn: string, detail: string): never {
  throw new BuiltinError('eval_builtin_error', `${fn}: ${detail}`);
}
