// A policy pack in OPA bundle layout (https://www.openpolicyagent.org/docs/management-bundles):
// `.manifest` (revision, roots, metadata), `*.rego`, `data.json`. Loading is pure: the caller
// reads the files (pack-files.ts for a directory) so the same code serves imported packs.
import { parseJSON, prepare } from '../rego/index.ts';
import type { Policy, Source, Value } from '../rego/index.ts';

/** One file of a pack, path relative to the pack root with "/" separators. */
export type PackFile = { path: string; content: string };

/** A compiled pack, ready for evaluateGate. */
export type Pack = {
  name: string;
  revision: string;
  roots: string[];
  /** Package holding the `deny` set, as a data path ("prodsprint/baseline"). */
  gate: string;
  policy: Policy;
  data: Value;
  /** Test modules (`*_test.rego`), kept apart so gates never compile them. */
  tests: Source[];
  sources: Source[];
};

type Manifest = {
  revision?: unknown;
  roots?: unknown;
  metadata?: { name?: unknown; gate?: unknown };
};

const isTest = (path: string): boolean => path.endsWith('_test.rego');

/** Parse and compile a pack's files; throws on a missing manifest or a Rego error. */
export function loadPack(files: PackFile[]): Pack {
  const manifestFile = files.find((f) => f.path === '.manifest');
  if (!manifestFile) throw new Error('pack has no .manifest');
  const manifest = JSON.parse(manifestFile.content) as Manifest;
  const roots = Array.isArray(manifest.roots) ? manifest.roots.map(String) : [];
  const name = String(manifest.metadata?.name ?? roots[0] ?? '');
  // The gate package defaults to the first root: most packs have exactly one.
  const gate = String(manifest.metadata?.gate ?? roots[0] ?? '');
  if (!gate) throw new Error('pack .manifest names no roots and no metadata.gate');
  const rego = files
    .filter((f) => f.path.endsWith('.rego'))
    .sort((a, b) => (a.path < b.path ? -1 : 1))
    .map((f) => ({ file: f.path, source: f.content }));
  const sources = rego.filter((s) => !isTest(s.file));
  const dataFile = files.find((f) => f.path === 'data.json');
  return {
    name,
    revision: String(manifest.revision ?? ''),
    roots,
    gate,
    policy: prepare(sources),
    data: dataFile ? parseJSON(dataFile.content) : parseJSON('{}'),
    tests: rego.filter((s) => isTest(s.file)),
    sources,
  };
}
