// rego.metadata.chain: the annotations that apply to the rule being evaluated, innermost first:
// the rule's own, document-scoped ones on rules of the same path, then package annotations.
import { nodeAt } from './compile.ts';
import type { Evaluator } from './eval.ts';
import { RObject } from './value.ts';
import type { Value } from './value.ts';

function entry(path: string[], annotations: Value | undefined): RObject {
  const o = RObject.of([['path', path]]);
  if (annotations !== undefined) o.set('annotations', annotations);
  return o;
}

/** The annotation chain of the current rule ([] outside any rule). */
export function metadataChain(ev: Evaluator): Value {
  const r = ev.currentRule;
  if (!r) return [];
  const scopeOf = (a: Value | undefined): unknown =>
    a instanceof RObject ? a.get('scope') : undefined;
  const out: Value[] = [
    entry(r.path, scopeOf(r.annotations) === 'document' ? undefined : r.annotations),
  ];
  const node = nodeAt(ev.policy.root, r.path, false);
  const doc = [...(node?.rules ?? []), ...(node?.funcs ?? []), ...(node?.defaults ?? [])].find(
    (x) => scopeOf(x.annotations) === 'document',
  );
  if (doc) out.push(entry(r.path, doc.annotations));
  for (let n = r.path.length - 1; n >= 1; n--) {
    const pkg = r.path.slice(0, n);
    const m = ev.policy.modules.find(
      (mod) => mod.annotations !== undefined && mod.pkg.join('.') === pkg.join('.'),
    );
    if (m) out.push(entry(pkg, m.annotations));
  }
  return out;
}
