/**
 * Policy packs by reference: a built-in pack's name (policies/<name>) or a pack directory. One
 * loader for the policy commands, the apply run's gate and the release gate.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadPack, type Pack } from '../policy/gates/pack.ts';
import { readPackDir } from '../policy/gates/pack-files.ts';

export class PackNotFoundError extends Error {
  readonly ref: string;
  constructor(ref: string, dir: string) {
    super(`${ref} is neither a built-in pack nor a pack directory (no .manifest in ${dir})`);
    this.name = 'PackNotFoundError';
    this.ref = ref;
  }
}

export function builtInPacksDir(projectRoot: string): string {
  return join(projectRoot, 'policies');
}

/** The directory a pack reference names; throws PackNotFoundError when it holds no pack. */
export function packDirOf(projectRoot: string, ref: string): string {
  const builtIn = join(builtInPacksDir(projectRoot), ref);
  const dir = /^[a-z0-9-]+$/.test(ref) && existsSync(builtIn) ? builtIn : resolve(ref);
  if (!existsSync(join(dir, '.manifest'))) throw new PackNotFoundError(ref, dir);
  return dir;
}

export async function loadPolicyPack(projectRoot: string, ref: string): Promise<Pack> {
  return loadPack(await readPackDir(packDirOf(projectRoot, ref)));
}
