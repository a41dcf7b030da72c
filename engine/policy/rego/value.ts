// Runtime values of Rego. Scalars are plain JS values; integers beyond 2^53 are bigint so big
// numbers stay exact (OPA compares numbers by exact decimal value). Objects and sets are keyed
// by a canonical string so composite keys work.

/** A Rego value. */
export type Value = null | boolean | number | bigint | string | Value[] | RObject | RSet;

/** Normalise a number: bigints that fit a double exactly become numbers. */
export function num(n: number | bigint): number | bigint {
  if (typeof n === 'bigint') {
    return n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n;
  }
  return Object.is(n, -0) ? 0 : n;
}

/** True for number or bigint. */
export function isNumber(v: Value): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

/** True for integer-valued numbers. */
export function isInteger(v: Value): boolean {
  return typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
}

/** Canonical decimal text of a number (1 and 1.0 share it). */
export function numberText(n: number | bigint): string {
  if (typeof n === 'bigint') return n.toString();
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) return BigInt(n).toString();
  return String(n);
}

/** The canonical key of a value, used for set membership and object keys. */
export function keyOf(v: Value): string {
  switch (typeof v) {
    case 'string':
      return 's' + v;
    case 'number':
    case 'bigint':
      return 'n' + numberText(v);
    case 'boolean':
      return v ? 'T' : 'F';
    default:
      if (v === null) return 'z';
      return 'c' + composite(v);
  }
}

function composite(v: Value): string {
  if (Array.isArray(v)) return '[' + v.map(keyOf).join(',') + ']';
  if (v instanceof RSet) return '<' + [...v.map.keys()].sort().join(',') + '>';
  if (v instanceof RObject) {
    const parts = [...v.map.entries()].map(([k, [, val]]) => JSON.stringify(k) + ':' + keyOf(val));
    return '{' + parts.sort().join(',') + '}';
  }
  return keyOf(v);
}

/** A Rego object: map from any value to any value, iterated in OPA's key order. */
export class RObject {
  readonly map = new Map<string, [Value, Value]>();
  private sorted: [Value, Value][] | undefined;

  /** Build from [key, value] pairs. */
  static of(pairs: Iterable<[Value, Value]>): RObject {
    const o = new RObject();
    for (const [k, v] of pairs) o.set(k, v);
    return o;
  }
  get size(): number {
    return this.map.size;
  }
  get(k: Value): Value | undefined {
    return this.map.get(keyOf(k))?.[1];
  }
  has(k: Value): boolean {
    return this.map.has(keyOf(k));
  }
  set(k: Value, v: Value): void {
    this.map.set(keyOf(k), [k, v]);
    this.sorted = undefined;
  }
  delete(k: Value): void {
    this.map.delete(keyOf(k));
    this.sorted = undefined;
  }
  keys(): Value[] {
    return this.entries().map((e) => e[0]);
  }
  values(): Value[] {
    return this.entries().map((e) => e[1]);
  }
  /** Entries sorted by key, as OPA iterates objects (comprehension results depend on it). */
  entries(): [Value, Value][] {
    this.sorted ??= [...this.map.values()].sort((a, b) => compare(a[0], b[0]));
    return this.sorted;
  }
}

/** A Rego set, iterated in OPA's canonical order. */
export class RSet {
  readonly map = new Map<string, Value>();
  private sorted: Value[] | undefined;

  static of(items: Iterable<Value>): RSet {
    const s = new RSet();
    for (const v of items) s.add(v);
    return s;
  }
  get size(): number {
    return this.map.size;
  }
  has(v: Value): boolean {
    return this.map.has(keyOf(v));
  }
  add(v: Value): void {
    const k = keyOf(v);
    if (!this.map.has(k)) {
      this.map.set(k, v);
      this.sorted = undefined;
    }
  }
  /** Elements in canonical order. */
  values(): Value[] {
    this.sorted ??= [...this.map.values()].sort(compare);
    return this.sorted;
  }
}

/** OPA's type name of a value. */
export function typeName(v: Value): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (isNumber(v)) return 'number';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'array';
  if (v instanceof RSet) return 'set';
  return 'object';
}

function rank(v: Value): number {
  if (v === null) return 0;
  switch (typeof v) {
    case 'boolean':
      return 1;
    case 'number':
    case 'bigint':
      return 2;
    case 'string':
      return 3;
  }
  if (Array.isArray(v)) return 4;
  return v instanceof RObject ? 5 : 6;
}

/** Compare two numbers exactly where it matters (big integers). */
export function compareNumbers(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  const ia = typeof a === 'bigint' || Number.isInteger(a);
  const ib = typeof b === 'bigint' || Number.isInteger(b);
  if (ia && ib) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Byte-order string comparison (UTF-16 order, equal to UTF-8 order outside surrogates). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sort values in OPA's canonical order (returns a new array). */
export function sortValues(vs: Value[]): Value[] {
  return [...vs].sort(compare);
}

/** OPA's total order on values. */
export function compare(a: Value, b: Value): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return a === b ? 0 : a ? 1 : -1;
    case 2:
      return compareNumbers(a as number | bigint, b as number | bigint);
    case 3:
      return compareStrings(a as string, b as string);
    case 4:
      return compareLists(a as Value[], b as Value[]);
    case 5:
      return compareObjects(a as RObject, b as RObject);
    default:
      return compareLists((a as RSet).values(), (b as RSet).values());
  }
}

function compareLists(a: Value[], b: Value[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compare(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function compareObjects(a: RObject, b: RObject): number {
  const ka = a.keys();
  const kb = b.keys();
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const c = compare(ka[i]!, kb[i]!);
    if (c !== 0) return c;
    const d = compare(a.get(ka[i]!)!, b.get(kb[i]!)!);
    if (d !== 0) return d;
  }
  return ka.length - kb.length;
}
