// Operand checks with OPA's error messages ("operand 1 must be string but got number").
import { typeError } from '../errors.ts';
import { RObject, RSet, isNumber, typeName } from '../value.ts';
import type { Value } from '../value.ts';

function bad(fn: string, i: number, want: string, v: Value): never {
  return typeError(fn, `operand ${i + 1} must be ${want} but got ${typeName(v)}`);
}

/** The i-th argument as a string. */
export function str(fn: string, args: Value[], i: number): string {
  const v = args[i]!;
  return typeof v === 'string' ? v : bad(fn, i, 'string', v);
}

/** The i-th argument as a number. */
export function numArg(fn: string, args: Value[], i: number): number | bigint {
  const v = args[i]!;
  return isNumber(v) ? v : bad(fn, i, 'number', v);
}

/** The i-th argument as an integer-valued JS number. */
export function intArg(fn: string, args: Value[], i: number): number {
  const v = numArg(fn, args, i);
  const n = Number(v);
  if (!Number.isInteger(n))
    typeError(fn, `operand ${i + 1} must be integer number but got floating-point number`);
  return n;
}

/** The i-th argument as an array. */
export function arr(fn: string, args: Value[], i: number): Value[] {
  const v = args[i]!;
  return Array.isArray(v) ? v : bad(fn, i, 'array', v);
}

/** The i-th argument as an object. */
export function obj(fn: string, args: Value[], i: number): RObject {
  const v = args[i]!;
  return v instanceof RObject ? v : bad(fn, i, 'object', v);
}

/** The i-th argument as a set. */
export function setArg(fn: string, args: Value[], i: number): RSet {
  const v = args[i]!;
  return v instanceof RSet ? v : bad(fn, i, 'set', v);
}

/** The i-th argument as a boolean. */
export function bool(fn: string, args: Value[], i: number): boolean {
  const v = args[i]!;
  return typeof v === 'boolean' ? v : bad(fn, i, 'boolean', v);
}

/** Elements of an array or set argument. */
export function collection(
  fn: string,
  args: Value[],
  i: number,
  want = 'one of {array, set}',
): Value[] {
  const v = args[i]!;
  if (Array.isArray(v)) return v;
  if (v instanceof RSet) return v.values();
  return bad(fn, i, want, v);
}

/** Raise the standard "must be one of" error. */
export function oneOf(fn: string, i: number, want: string, v: Value): never {
  return bad(fn, i, `one of {${want}}`, v);
}
