// The shape of builtin functions and the per-query context they get.
import type { Value } from '../value.ts';

/** Per-query state shared with builtins (caches keep non-deterministic results stable). */
export type BuiltinContext = {
  /** Values remembered for this query (time.now_ns, uuid.rfc4122). */
  cache: Map<string, Value>;
  /** Wall clock in nanoseconds since the epoch, injectable for tests. */
  nowNs: () => bigint;
};

/** A builtin: fixed arity; returns undefined when the result is undefined. */
export type Builtin = {
  arity: number;
  fn: (args: Value[], ctx: BuiltinContext) => Value | undefined;
  /** The builtin enumerates several results (walk). */
  multi?: boolean;
};

/** Builtins by their dotted name. */
export type BuiltinTable = Record<string, Builtin>;

/** Shorthand for defining a builtin. */
export function def(arity: number, fn: Builtin['fn']): Builtin {
  return { arity, fn };
}
