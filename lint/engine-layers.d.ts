/** Types of engine-layers.js (plain JS: eslint.config.js loads it without a TypeScript step). */
export interface Layer {
  folders: string[];
  mayImport: string[];
  any: boolean;
}
export function readLayers(readmeText: string): Layer[];
export function layerOf(
  layers: Layer[],
  path: string,
): { layer: Layer; folder: string } | undefined;
export function engineLayersRule(layers: Layer[], root: string): unknown;
export function engineLayersPlugin(root: string): { rules: Record<string, unknown> };
