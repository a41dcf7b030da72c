// JSON document builtins: json.filter, json.remove (path lists) and json.patch (RFC 6902).
import { typeError } from '../errors.ts';
import { RObject, RSet, typeName } from '../value.ts';
import type { Value } from '../value.ts';
import { equals } from '../value-ops.ts';
import { obj } from './args.ts';
import { def } from './types.ts';
import type { BuiltinTable } from './types.ts';

function unescapePointer(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

function paths(name: string, v: Value): Value[][] {
  const items = Array.isArray(v)
    ? v
    : v instanceof RSet
      ? v.values()
      : typeError(name, `operand 2 must be one of {set, array} but got ${typeName(v)}`);
  return items.map((p) => {
    if (typeof p === 'string')
      return p
        .replace(/^\//, '')
        .split('/')
        .filter((x) => x !== '')
        .map(unescapePointer);
    if (Array.isArray(p)) return p;
    return typeError(
      name,
      `operand 2 must be one of {set, array} containing string paths or array of path segments but got ${typeName(p)}`,
    );
  });
}

function child(v: Value, seg: Value): Value | undefined {
  if (v instanceof RObject) return v.get(seg);
  if (Array.isArray(v)) {
    const i = typeof seg === 'string' && /^(0|[1-9]\d*)$/.test(seg) ? Number(seg) : seg;
    return typeof i === 'number' ? v[i] : undefined;
  }
  if (v instanceof RSet) return v.has(seg) ? seg : undefined;
  return undefined;
}

type Trie = Map<string, { seg: Value; next: Trie; leaf: boolean }>;

function trie(ps: Value[][]): Trie {
  const root: Trie = new Map();
  for (const p of ps) {
    let t = root;
    p.forEach((seg, i) => {
      const k = JSON.stringify(seg);
      const n = t.get(k) ?? { seg, next: new Map(), leaf: false };
      if (i === p.length - 1) n.leaf = true;
      t.set(k, n);
      t = n.next;
    });
  }
  return root;
}

function filter(v: Value, t: Trie): Value {
  const keep = (seg: Value): Value | undefined => {
    for (const n of t.values())
      if (equals(n.seg, seg) || (typeof seg === 'number' && n.seg === String(seg)))
        return n.leaf ? v : filter(child(v, n.seg)!, n.next);
    return undefined;
  };
  if (v instanceof RObject) {
    const out = new RObject();
    for (const [k, x] of v.entries()) {
      const n = [...t.values()].find((e) => equals(e.seg, k));
      if (n) out.set(k, n.leaf ? x : filter(x, n.next));
    }
    return out;
  }
  if (Array.isArray(v)) {
    const out: Value[] = [];
    v.forEach((x, i) => {
      const n = [...t.values()].find((e) => e.seg === String(i) || e.seg === i);
      if (n) out.push(n.leaf ? x : filter(x, n.next));
    });
    return out;
  }
  if (v instanceof RSet) return RSet.of(v.values().filter((x) => keep(x) !== undefined));
  return v;
}

function remove(v: Value, t: Trie): Value {
  const find = (seg: Value): { leaf: boolean; next: Trie } | undefined =>
    [...t.values()].find(
      (e) => equals(e.seg, seg) || (typeof seg === 'number' && e.seg === String(seg)),
    );
  if (v instanceof RObject) {
    const out = new RObject();
    for (const [k, x] of v.entries()) {
      const n = find(k);
      if (n?.leaf) continue;
      out.set(k, n ? remove(x, n.next) : x);
    }
    return out;
  }
  if (Array.isArray(v)) {
    const out: Value[] = [];
    v.forEach((x, i) => {
      const n = find(i);
      if (!n?.leaf) out.push(n ? remove(x, n.next) : x);
    });
    return out;
  }
  if (v instanceof RSet) return RSet.of(v.values().filter((x) => !find(x)?.leaf));
  return v;
}

function pointer(p: Value): Value[] | undefined {
  if (Array.isArray(p)) return p;
  if (typeof p !== 'string') return undefined;
  if (p === '') return [];
  return p.replace(/^\//, '').split('/').map(unescapePointer);
}

function setAt(doc: Value, path: Value[], v: Value, mode: 'add' | 'replace'): Value | undefined {
  if (path.length === 0) return v;
  const [seg, ...rest] = path;
  if (doc instanceof RObject) {
    const cur = doc.get(seg!);
    if (rest.length === 0) {
      if (mode === 'replace' && cur === undefined) return undefined;
      const out = RObject.of(doc.entries());
      out.set(seg!, v);
      return out;
    }
    if (cur === undefined) return undefined;
    const inner = setAt(cur, rest, v, mode);
    if (inner === undefined) return undefined;
    const out = RObject.of(doc.entries());
    out.set(seg!, inner);
    return out;
  }
  if (Array.isArray(doc)) {
    const i =
      seg === '-'
        ? doc.length
        : typeof seg === 'number'
          ? seg
          : typeof seg === 'string' && /^(0|[1-9]\d*)$/.test(seg)
            ? Number(seg)
            : -1;
    if (i < 0 || i > doc.length || (i === doc.length && (rest.length > 0 || mode === 'replace')))
      return undefined;
    if (rest.length === 0)
      return mode === 'add'
        ? [...doc.slice(0, i), v, ...doc.slice(i)]
        : doc.map((x, j) => (j === i ? v : x));
    const inner = setAt(doc[i]!, rest, v, mode);
    return inner === undefined ? undefined : doc.map((x, j) => (j === i ? inner : x));
  }
  if (doc instanceof RSet) {
    // In a set the path segment names the member itself: adding requires key == value.
    if (rest.length === 0)
      return mode === 'add' && equals(seg!, v) ? RSet.of([...doc.values(), v]) : undefined;
    if (!doc.has(seg!)) return undefined;
    const inner = setAt(seg!, rest, v, mode);
    return inner === undefined
      ? undefined
      : RSet.of([...doc.values().filter((x) => !equals(x, seg!)), inner]);
  }
  return undefined;
}

function removeAt(doc: Value, path: Value[]): Value | undefined {
  if (path.length === 0) return undefined;
  const [seg, ...rest] = path;
  if (doc instanceof RObject) {
    const cur = doc.get(seg!);
    if (cur === undefined) return undefined;
    const out = RObject.of(doc.entries());
    if (rest.length === 0) out.delete(seg!);
    else {
      const inner = removeAt(cur, rest);
      if (inner === undefined) return undefined;
      out.set(seg!, inner);
    }
    return out;
  }
  if (Array.isArray(doc)) {
    const i =
      typeof seg === 'number'
        ? seg
        : typeof seg === 'string' && /^(0|[1-9]\d*)$/.test(seg)
          ? Number(seg)
          : -1;
    if (i < 0 || i >= doc.length) return undefined;
    if (rest.length === 0) return doc.filter((_, j) => j !== i);
    const inner = removeAt(doc[i]!, rest);
    return inner === undefined ? undefined : doc.map((x, j) => (j === i ? inner : x));
  }
  if (doc instanceof RSet && rest.length === 0 && doc.has(seg!))
    return RSet.of(doc.values().filter((x) => !equals(x, seg!)));
  return undefined;
}

function getAt(doc: Value, path: Value[]): Value | undefined {
  let cur: Value | undefined = doc;
  for (const seg of path) cur = cur === undefined ? undefined : child(cur, seg);
  return cur;
}

function applyOp(doc: Value, op: RObject): Value | undefined {
  const kind = op.get('op');
  const path = pointer(op.get('path') ?? null);
  if (!path) return undefined;
  const from = op.has('from') ? pointer(op.get('from')!) : undefined;
  switch (kind) {
    case 'add':
      return op.has('value') ? setAt(doc, path, op.get('value')!, 'add') : undefined;
    case 'replace':
      return op.has('value') ? setAt(doc, path, op.get('value')!, 'replace') : undefined;
    case 'remove':
      return removeAt(doc, path);
    case 'test': {
      const cur = getAt(doc, path);
      return cur !== undefined && op.has('value') && equals(cur, op.get('value')!)
        ? doc
        : undefined;
    }
    case 'move':
    case 'copy': {
      if (!from) return undefined;
      const v = getAt(doc, from);
      if (v === undefined) return undefined;
      if (kind === 'move' && path.length > from.length && from.every((s, i) => equals(s, path[i]!)))
        return undefined;
      const base = kind === 'move' ? removeAt(doc, from) : doc;
      return base === undefined ? undefined : setAt(base, path, v, 'add');
    }
    default:
      return undefined;
  }
}

/** JSON document builtins. */
export const jsonDocBuiltins: BuiltinTable = {
  'json.filter': def(2, (a) => filter(obj('json.filter', a, 0), trie(paths('json.filter', a[1]!)))),
  'json.remove': def(2, (a) => remove(obj('json.remove', a, 0), trie(paths('json.remove', a[1]!)))),
  'json.patch': def(2, ([doc, ops]) => {
    const list = Array.isArray(ops)
      ? ops
      : ops instanceof RSet
        ? ops.values()
        : typeError('json.patch', `operand 2 must be array but got ${typeName(ops!)}`);
    let cur: Value | undefined = doc!;
    for (const op of list) {
      if (!(op instanceof RObject))
        return typeError('json.patch', 'operand 2 must be array of objects');
      cur = applyOp(cur, op);
      if (cur === undefined) return undefined;
    }
    return cur;
  }),
};
