// Arithmetic with exact integers (bigint beyond 2^53), rounding, ranges and bitwise operators.
import { builtinError, typeError } from '../errors.ts';
import { RSet, isInteger, isNumber, num, typeName } from '../value.ts';
import type { Value } from '../value.ts';
import { intArg, numArg, setArg } from './args.ts';
import { def } from './types.ts';
import type { BuiltinTable } from './types.ts';

type N = number | bigint;

function intOp(
  a: N,
  b: N,
  f: (x: bigint, y: bigint) => bigint,
  g: (x: number, y: number) => number,
): N {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = g(a, b);
    if (Number.isSafeInteger(r)) return r;
  }
  return num(f(BigInt(a), BigInt(b)));
}

function arith(
  name: string,
  args: Value[],
  f: (x: bigint, y: bigint) => bigint,
  g: (x: number, y: number) => number,
): N {
  const a = numArg(name, args, 0);
  const b = numArg(name, args, 1);
  if (isInteger(a) && isInteger(b)) return intOp(a, b, f, g);
  return num(g(Number(a), Number(b)));
}

function setOp(name: string, args: Value[], f: (a: RSet, b: RSet) => RSet): RSet {
  return f(setArg(name, args, 0), setArg(name, args, 1));
}

function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function range(name: string, a: number, b: number, step: number): Value[] {
  const out: Value[] = [];
  if (a <= b) for (let i = a; i <= b; i += step) out.push(i);
  else for (let i = a; i >= b; i -= step) out.push(i);
  if (out.length > 1e7) builtinError(name, 'range too large');
  return out;
}

function bigArg(name: string, args: Value[], i: number): bigint {
  const v = numArg(name, args, i);
  if (!isInteger(v))
    typeError(name, `operand ${i + 1} must be integer number but got floating-point number`);
  return BigInt(v);
}

const bits = (name: string, f: (a: bigint, b: bigint) => bigint, shift = false) =>
  def(2, (args) => {
    const a = bigArg(name, args, 0);
    const b = bigArg(name, args, 1);
    if (shift && b < 0n)
      typeError(name, 'operand 2 must be an unsigned integer number but got a negative integer');
    return num(f(a, b));
  });

/** Arithmetic and number builtins. */
export const numberBuiltins: BuiltinTable = {
  plus: def(2, (args) =>
    arith(
      'plus',
      args,
      (x, y) => x + y,
      (x, y) => x + y,
    ),
  ),
  minus: def(2, (args) => {
    if (isNumber(args[0]!) && args[1] instanceof RSet)
      typeError('minus', 'operand 2 must be number but got set');
    if (args[0] instanceof RSet || args[1] instanceof RSet)
      return setOp('minus', args, (a, b) => RSet.of(a.values().filter((v) => !b.has(v))));
    if (!isNumber(args[0]!))
      typeError('minus', `operand 1 must be one of {number, set} but got ${typeName(args[0]!)}`);
    return arith(
      'minus',
      args,
      (x, y) => x - y,
      (x, y) => x - y,
    );
  }),
  mul: def(2, (args) =>
    arith(
      'mul',
      args,
      (x, y) => x * y,
      (x, y) => x * y,
    ),
  ),
  div: def(2, (args) => {
    const a = numArg('div', args, 0);
    const b = numArg('div', args, 1);
    if (Number(b) === 0) builtinError('div', 'divide by zero');
    if (isInteger(a) && isInteger(b) && BigInt(a) % BigInt(b) === 0n)
      return num(BigInt(a) / BigInt(b));
    return num(Number(a) / Number(b));
  }),
  rem: def(2, (args) => {
    const a = numArg('rem', args, 0);
    const b = numArg('rem', args, 1);
    if (!isInteger(a) || !isInteger(b)) builtinError('rem', 'modulo on floating-point number');
    if (Number(b) === 0) builtinError('rem', 'modulo by zero');
    return intOp(
      a,
      b,
      (x, y) => x % y,
      (x, y) => x % y,
    );
  }),
  abs: def(1, (args) => {
    const a = numArg('abs', args, 0);
    return typeof a === 'bigint' ? num(a < 0n ? -a : a) : Math.abs(a);
  }),
  ceil: def(1, (args) => {
    const a = numArg('ceil', args, 0);
    return typeof a === 'bigint' ? a : num(Math.ceil(a));
  }),
  floor: def(1, (args) => {
    const a = numArg('floor', args, 0);
    return typeof a === 'bigint' ? a : num(Math.floor(a));
  }),
  round: def(1, (args) => {
    const a = numArg('round', args, 0);
    return typeof a === 'bigint' ? a : num(roundHalfAway(a));
  }),
  'numbers.range': def(2, (args) =>
    range('numbers.range', intArg('numbers.range', args, 0), intArg('numbers.range', args, 1), 1),
  ),
  'numbers.range_step': def(3, (args) => {
    const n = 'numbers.range_step';
    const step = intArg(n, args, 2);
    if (step <= 0) builtinError(n, 'step must be a positive integer');
    return range(n, intArg(n, args, 0), intArg(n, args, 1), step);
  }),
  'bits.and': bits('bits.and', (a, b) => a & b),
  'bits.or': bits('bits.or', (a, b) => a | b),
  'bits.xor': bits('bits.xor', (a, b) => a ^ b),
  'bits.lsh': bits('bits.lsh', (a, b) => a << b, true),
  'bits.rsh': bits('bits.rsh', (a, b) => a >> b, true),
  'bits.negate': def(1, (args) => num(~bigArg('bits.negate', args, 0))),
};
