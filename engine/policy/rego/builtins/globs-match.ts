// regex.globs_match: do two glob-style regexes (only . * + [ - ] \ are special) match a common
// non-empty string? Each pattern becomes an NFA over character sets; the product automaton is
// searched for an accepting state reached after at least one character.
import { builtinError } from '../errors.ts';

type CharSet = { any: true } | { ranges: [number, number][] };
type State = { edges: { set: CharSet; to: number }[]; accept: boolean };

function parseClass(p: string, i: number): [CharSet, number] {
  const ranges: [number, number][] = [];
  let j = i + 1;
  while (j < p.length && p[j] !== ']') {
    let c = p.codePointAt(j)!;
    if (p[j] === '\\') c = p.codePointAt(++j)!;
    j += String.fromCodePoint(c).length;
    if (p[j] === '-' && p[j + 1] !== ']' && j + 1 < p.length) {
      const hi = p.codePointAt(j + 1)!;
      ranges.push([c, hi]);
      j += 1 + String.fromCodePoint(hi).length;
    } else ranges.push([c, c]);
  }
  if (j >= p.length) builtinError('regex.globs_match', `input:${i}, missing ']'`);
  return [{ ranges }, j + 1];
}

/** Build an NFA (Thompson-style, without epsilon edges) for a glob-regex. */
function nfa(p: string): State[] {
  const atoms: { set: CharSet; rep: '' | '*' | '+' }[] = [];
  for (let i = 0; i < p.length;) {
    let set: CharSet;
    if (p[i] === '[') [set, i] = parseClass(p, i);
    else if (p[i] === '.') {
      set = { any: true };
      i++;
    } else {
      if (p[i] === '\\') i++;
      const c = p.codePointAt(i)!;
      set = { ranges: [[c, c]] };
      i += String.fromCodePoint(c).length;
    }
    const rep = p[i] === '*' || p[i] === '+' ? (p[i++] as '*' | '+') : '';
    atoms.push({ set, rep });
  }
  // State k = "the first k atoms are consumed"; a starred atom may also be skipped.
  const closure = (k: number): number[] => {
    const out = [k];
    while (k < atoms.length && atoms[k]!.rep === '*') out.push(++k);
    return out;
  };
  const states: State[] = [];
  for (let k = 0; k <= atoms.length; k++) {
    const edges: State['edges'] = [];
    for (const q of closure(k)) {
      if (q >= atoms.length) continue;
      const a = atoms[q]!;
      edges.push({ set: a.set, to: q + 1 });
      if (a.rep) edges.push({ set: a.set, to: q });
    }
    states.push({ edges, accept: closure(k).includes(atoms.length) });
  }
  return states;
}

function intersects(a: CharSet, b: CharSet): boolean {
  if ('any' in a || 'any' in b)
    return 'any' in a ? ('any' in b ? true : b.ranges.length > 0) : a.ranges.length > 0;
  return a.ranges.some(([x1, y1]) => b.ranges.some(([x2, y2]) => x1 <= y2 && x2 <= y1));
}

/** True when some non-empty string matches both patterns. */
export function globsMatch(p1: string, p2: string): boolean {
  const a = nfa(p1);
  const b = nfa(p2);
  const seen = new Set<string>();
  const queue: [number, number, boolean][] = [[0, 0, false]];
  while (queue.length) {
    const [x, y, moved] = queue.shift()!;
    const key = `${x},${y},${moved}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (moved && a[x]!.accept && b[y]!.accept) return true;
    for (const ea of a[x]!.edges)
      for (const eb of b[y]!.edges)
        if (intersects(ea.set, eb.set)) queue.push([ea.to, eb.to, true]);
  }
  return false;
}
