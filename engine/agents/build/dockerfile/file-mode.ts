/**
 * `COPY --chmod` modes, as BuildKit applies them (tonistiigi/fsutil copy + dchapes-mode): an
 * octal mode replaces the permission bits of every copied file and directory, a symbolic mode
 * (`u+x`, `a=rX,u+w`, umask 0) is applied to each entry's own mode. ProdSprint reproduces the
 * result by giving the staged copies these modes before the legacy builder copies them.
 */

/** True for an octal mode (`755`, `0644`). */
export function isOctalMode(spec: string): boolean {
  return /^[0-7]{1,4}$/.test(spec);
}

const WHO: Record<string, number> = { u: 0o4700, g: 0o2070, o: 0o1007 };

/**
 * The mode a `--chmod=<spec>` gives an entry whose mode was `mode`; throws on a spec BuildKit
 * would reject.
 */
export function applyChmod(spec: string, mode: number, isDir: boolean): number {
  if (isOctalMode(spec)) return parseInt(spec, 8);
  let result = mode & 0o7777;
  for (const clause of spec.split(',')) {
    let i = 0;
    let who = 0;
    while ('ugoa'.includes(clause[i] ?? '-') && i < clause.length) {
      who |= clause[i] === 'a' ? 0o7777 : WHO[clause[i]!]!;
      i += 1;
    }
    if (who === 0) who = 0o7777;
    if (i >= clause.length) throw new Error(`invalid chmod mode '${spec}'`);
    while (i < clause.length) {
      const op = clause[i]!;
      if (!'+-='.includes(op)) throw new Error(`invalid chmod mode '${spec}'`);
      i += 1;
      let bits = 0;
      const original = result;
      while (i < clause.length && !'+-='.includes(clause[i]!)) {
        const ch = clause[i]!;
        if (ch === 'r') bits |= 0o444;
        else if (ch === 'w') bits |= 0o222;
        else if (ch === 'x') bits |= 0o111;
        else if (ch === 'X') bits |= isDir || (original & 0o111) !== 0 ? 0o111 : 0;
        else if (ch === 's') bits |= 0o6000;
        else if (ch === 't') bits |= 0o1000;
        else if (ch === 'u' || ch === 'g' || ch === 'o') {
          const shift = ch === 'u' ? 6 : ch === 'g' ? 3 : 0;
          const perm = (original >> shift) & 0o7;
          bits |= (perm << 6) | (perm << 3) | perm;
        } else throw new Error(`invalid chmod mode '${spec}'`);
        i += 1;
      }
      const mask = bits & who;
      if (op === '+') result |= mask;
      else if (op === '-') result &= ~mask;
      else result = (result & ~(who & 0o7777)) | mask;
    }
  }
  return result;
}
