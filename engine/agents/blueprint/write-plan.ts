/**
 * Writes a plan's artifacts under a directory (`prodsprint plan --out DIR`). This is the only
 * blueprint code that writes, and it writes only below `dir`: a path that would escape it is
 * refused before anything is written.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Plan } from './plan-model.ts';

/** Writes every artifact of `plan` below `dir`; returns the paths written, sorted. */
export async function writePlanArtifacts(plan: Plan, dir: string): Promise<string[]> {
  const root = resolve(dir);
  const targets = plan.artifacts.map((artifact) => {
    const target = resolve(root, artifact.path);
    const rel = relative(root, target);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      throw new Error(`artifact path ${artifact.path} escapes ${root}`);
    }
    return { target, content: artifact.content, path: artifact.path };
  });
  for (const { target, content } of targets) {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content, 'utf8');
  }
  return targets.map((t) => t.path).sort();
}
