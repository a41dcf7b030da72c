/**
 * The golden-file format of the blueprint (issue 7): a header with the plan hash, the inputs, the
 * summary, then every artifact as `=== <path> (<change>, <sha256>) ===` followed by its content.
 * An artifact byte-identical (same content and change kind) to one an earlier golden shows in full
 * is recorded as the single line `=== <path> (same as <case>, <sha256>) ===` (or
 * `same as <case> <path there>` when it sits at another path there, e.g. a verbatim Helm template
 * of another service). The stack's kubernetes case is preferred, so a docker or cloud golden shows
 * in full exactly what its target changes. Any difference shows in full.
 */
import { canonicalJson } from '../../engine/agents/blueprint/canonical-json.ts';
import type { Plan } from '../../engine/agents/blueprint/plan-model.ts';

export interface GoldenSection {
  /** The artifact path, or inputs.json / summary.json, or '(header)'. */
  path: string;
  text: string;
}

/** Where an artifact's content is recorded in full: a case and the path it has there. */
export interface SharedArtifact {
  name: string;
  path: string;
  change: string;
}

/**
 * The golden text of one case. `shared` maps an artifact's sha256 to a case already recorded
 * (earlier in golden order) that shows the same content in full; `preferred` names the case to
 * point to when it has the artifact at the same path (the stack's kubernetes case).
 */
/**
 * Canonical JSON (sorted keys) laid out for review: objects one key a line, short arrays of
 * scalars on one line, other arrays one element a line (flat objects such as cost lines or infra
 * resources as one-line JSON).
 */
export function reviewJson(value: unknown): string {
  const sorted = JSON.parse(canonicalJson(value)) as unknown;
  const flat = (v: unknown): boolean =>
    v === null ||
    typeof v !== 'object' ||
    (!Array.isArray(v) && Object.values(v).every((x) => x === null || typeof x !== 'object'));
  const print = (v: unknown, indent: string): string => {
    const inner = `${indent}  `;
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      const scalars = v.every((x) => x === null || typeof x !== 'object');
      if (scalars && JSON.stringify(v).length <= 100) return JSON.stringify(v);
      return `[\n${v.map((x) => inner + (flat(x) ? JSON.stringify(x) : print(x, inner))).join(',\n')}\n${indent}]`;
    }
    if (v && typeof v === 'object') {
      const entries = Object.entries(v);
      if (entries.length === 0) return '{}';
      return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${print(x, inner)}`).join(',\n')}\n${indent}}`;
    }
    return JSON.stringify(v);
  };
  return `${print(sorted, '')}\n`;
}

export function goldenText(
  name: string,
  plan: Plan,
  shared: ReadonlyMap<string, SharedArtifact[]> = new Map(),
  preferred?: string,
): string {
  const parts = [`# blueprint golden: ${name}\nplanHash: ${plan.planHash}\n`];
  parts.push(`=== inputs.json ===\n${reviewJson(plan.inputs)}`);
  parts.push(`=== summary.json ===\n${reviewJson(plan.summary)}`);
  for (const a of plan.artifacts) {
    const holders = (shared.get(a.sha256) ?? []).filter((h) => h.change === a.change);
    const holder =
      holders.find((h) => h.name === preferred && h.path === a.path) ??
      holders.find((h) => h.path === a.path) ??
      holders[0];
    if (holder) {
      const where = holder.path === a.path ? holder.name : `${holder.name} ${holder.path}`;
      parts.push(`=== ${a.path} (same as ${where}, ${a.sha256}) ===\n`);
    } else parts.push(`=== ${a.path} (${a.change}, ${a.sha256}) ===\n${a.content}`);
  }
  return parts.join('\n');
}

/** Records the artifacts `plan` shows in full in its golden as holders for later cases. */
export function recordShared(
  shared: Map<string, SharedArtifact[]>,
  name: string,
  plan: Plan,
  text: string,
): void {
  for (const a of plan.artifacts) {
    if (!text.includes(`=== ${a.path} (${a.change}, ${a.sha256}) ===\n`)) continue;
    const list = shared.get(a.sha256) ?? [];
    list.push({ name, path: a.path, change: a.change });
    shared.set(a.sha256, list);
  }
}

const HEADER = /^=== (.+?) (?:\((?:new|changed|unchanged|same as [^,]+), [0-9a-f]{64}\) )?===$/;

/** Splits a golden text into its sections, each starting at its `=== … ===` line. */
export function goldenSections(text: string): GoldenSection[] {
  const sections: GoldenSection[] = [{ path: '(header)', text: '' }];
  for (const line of text.split(/(?<=\n)/)) {
    const match = HEADER.exec(line.replace(/\n$/, ''));
    if (match) sections.push({ path: match[1]!, text: line });
    else sections[sections.length - 1]!.text += line;
  }
  return sections;
}

/** The first section where two golden texts differ, with both versions; null when equal. */
export function firstDifference(
  actual: string,
  expected: string,
): { path: string; actual: string; expected: string } | null {
  if (actual === expected) return null;
  const a = goldenSections(actual);
  const e = goldenSections(expected);
  // The header's plan hash changes with any artifact: report the artifact, not the hash.
  const count = Math.max(a.length, e.length);
  const order = [...Array.from({ length: count - 1 }, (_, i) => i + 1), 0];
  for (const i of order) {
    const x = a[i];
    const y = e[i];
    if (x?.text !== y?.text) {
      return {
        path: x && y && x.path !== y.path ? `${y.path} / ${x.path}` : (x ?? y)!.path,
        actual: x?.text ?? '(no such section)\n',
        expected: y?.text ?? '(no such section)\n',
      };
    }
  }
  return { path: '(whole file)', actual, expected };
}
