// Compiles parsed modules into a rule tree: each node is a ground path under `data`; rules
// hang on the node of their ground head prefix and keep the dynamic rest of their head ref.
import type { Module, Rule, Term } from './ast.ts';
import { RegoError } from './errors.ts';
import { Resolver, moduleContext } from './resolve.ts';
import { reorderRule } from './safety.ts';

/** A rule placed in the tree with the dynamic part of its head ref. */
export type TreeRule = Rule & { rest: Term[]; path: string[] };

/** A node of the rule tree. */
export type Node = {
  path: string[];
  children: Map<string, Node>;
  rules: TreeRule[];
  funcs: TreeRule[];
  defaults: TreeRule[];
  isPackage: boolean;
};

/** Modules compiled together. */
export type Policy = { root: Node; modules: Module[] };

function newNode(path: string[]): Node {
  return { path, children: new Map(), rules: [], funcs: [], defaults: [], isPackage: false };
}

/** Find or create the node at a path. */
export function nodeAt(root: Node, path: string[], create: boolean): Node | undefined {
  let n = root;
  for (const seg of path) {
    let c = n.children.get(seg);
    if (!c) {
      if (!create) return undefined;
      c = newNode([...n.path, seg]);
      n.children.set(seg, c);
    }
    n = c;
  }
  return n;
}

function groundPrefix(ref: Term[]): number {
  let i = 0;
  while (i < ref.length) {
    const t = ref[i]!;
    if (t.type !== 'scalar' || typeof t.value !== 'string') break;
    i++;
  }
  return i;
}

/** Compile modules (already parsed) into a policy. */
export function compile(modules: Module[]): Policy {
  const rulesByPkg = new Map<string, Set<string>>();
  for (const m of modules) {
    const key = m.pkg.join('.');
    const names = rulesByPkg.get(key) ?? new Set<string>();
    for (const r of m.rules) names.add(String((r.ref[0] as { value: unknown }).value));
    rulesByPkg.set(key, names);
  }
  const root = newNode([]);
  for (const m of modules) {
    const pkgNode = nodeAt(root, m.pkg, true)!;
    pkgNode.isPackage = true;
    const resolver = new Resolver(moduleContext(m, rulesByPkg));
    for (const raw of m.rules) {
      const r = reorderRule(resolver.rule(raw));
      const n = groundPrefix(r.ref);
      // A function's whole ref is its name; a value rule keeps at least its last segment
      // dynamic only when it is not a string.
      const ground = r.ref.slice(0, n).map((t) => (t as { value: string }).value);
      const rest = r.ref.slice(n);
      const node = nodeAt(root, [...m.pkg, ...ground], true)!;
      const tr: TreeRule = { ...r, rest, path: [...m.pkg, ...ground] };
      if (r.kind === 'func') {
        if (rest.length)
          throw new RegoError('rego_compile_error', 'function name must be a ground ref', r.loc);
        node.funcs.push(tr);
      } else if (r.isDefault) node.defaults.push(tr);
      else node.rules.push(tr);
    }
  }
  return { root, modules };
}
