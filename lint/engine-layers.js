// The engine's layering, read from README.md's layout table and enforced by ESLint. The table
// is the one place that says which engine folder may import which; this file turns each row
// into a check, and test/lint/layering.test.ts runs one case per row, so the documentation,
// the lint rule and its proof cannot drift apart.
//
// A row's first cell names its folders (`engine/runs`); its last cell names, in backticks, the
// engine folders its code may import (`store`, `agents/repo-auditor`), `*` for any, or — for
// none. Every folder may also import the folders the sentence "Every engine folder may import"
// lists above the table. Tests (`*.test.ts`) and test support (`testing/` folders) are exempt:
// they set up whatever they test.
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

const TICKED = /`([^`]+)`/g;

/** The layout table's engine rows: [{ folders: ['engine/runs'], mayImport: ['store', …] }]. */
export function readLayers(readmeText) {
  const everyone = [];
  const shared = readmeText
    .split('\n')
    .find((line) => line.startsWith('Every engine folder may import'));
  if (shared) for (const [, name] of shared.matchAll(TICKED)) everyone.push(name);
  const layers = [];
  for (const line of readmeText.split('\n')) {
    if (!line.startsWith('| `engine/')) continue;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    const folders = [...cells[0].matchAll(TICKED)].map(([, name]) => name.replace(/\/$/, ''));
    const last = cells.at(-1);
    const mayImport = [...last.matchAll(TICKED)].map(([, name]) => name.replace(/\/$/, ''));
    // The folders everyone may import are not given each other by that sentence: the
    // contract stays a leaf, and the redactor and logger import only what their row says.
    const shared = folders.some((folder) => everyone.includes(folder.replace(/^engine\//, '')));
    layers.push({
      folders,
      mayImport: shared ? mayImport : [...mayImport, ...everyone],
      any: mayImport.includes('*'),
    });
  }
  return layers;
}

/** The layer a repository path belongs to: the row with the longest folder prefix. */
export function layerOf(layers, path) {
  let best;
  let bestLength = -1;
  for (const layer of layers)
    for (const folder of layer.folders)
      if ((path === folder || path.startsWith(`${folder}/`)) && folder.length > bestLength) {
        best = { layer, folder };
        bestLength = folder.length;
      }
  return best;
}

function exempt(path) {
  return /\.test\.tsx?$/.test(path) || path.split('/').includes('testing');
}

/** The ESLint rule: an engine file imports only its own layer and what its row allows. */
export function engineLayersRule(layers, root) {
  return {
    meta: {
      type: 'problem',
      docs: { description: "engine folders import only what README.md's layout table allows" },
      schema: [],
    },
    create(context) {
      const file = relative(root, context.filename).split(sep).join('/');
      if (!file.startsWith('engine/') || exempt(file)) return {};
      const from = layerOf(layers, file);
      const check = (node) => {
        const spec = node.source?.value;
        if (typeof spec !== 'string' || !spec.startsWith('.')) return;
        const target = normalize(join(dirname(file), spec))
          .split(sep)
          .join('/');
        if (!target.startsWith('engine/')) return;
        if (!from) {
          context.report({
            node,
            message: `${file} is in no row of README.md's layout table: add its folder there with what it may import`,
          });
          return;
        }
        const to = layerOf(layers, target);
        if (!to || to.layer === from.layer || from.layer.any) return;
        const allowed = from.layer.mayImport.some(
          (name) => to.folder === `engine/${name}` || to.folder.startsWith(`engine/${name}/`),
        );
        if (!allowed)
          context.report({
            node,
            message: `${from.folder} may not import ${to.folder} (README.md's layout table allows: ${from.layer.mayImport.join(', ') || 'nothing'}); move the code to the right layer, or change the table if the design changed`,
          });
      };
      return {
        ImportDeclaration: check,
        ExportNamedDeclaration: check,
        ExportAllDeclaration: check,
        ImportExpression: check,
      };
    },
  };
}

export function engineLayersPlugin(root) {
  const layers = readLayers(readFileSync(join(root, 'README.md'), 'utf8'));
  return { rules: { 'engine-layers': engineLayersRule(layers, root) } };
}
