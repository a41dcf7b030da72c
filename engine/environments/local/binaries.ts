/**
 * Finds the system programs the local environment runs. Daemons such as dockerd and haproxy
 * live in sbin, which a non-login shell or a desktop launcher may leave off PATH, so sbin dirs
 * are searched after PATH. A missing program is an error naming the Debian package to install.
 */
import { delimiter } from 'node:path';
import { findExecutable } from '../../tools/detect.ts';
import { LocalEnvironmentError } from './errors.ts';

/** Program → Debian package that ships it (RECIPES.md). */
export const APT_PACKAGES = {
  dockerd: 'docker.io',
  haproxy: 'haproxy',
  prometheus: 'prometheus',
  promtool: 'prometheus',
} as const;

export type LocalProgram = keyof typeof APT_PACKAGES;

const SBIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** Absolute path of `program`, or undefined when it is not installed. */
export function findProgram(
  program: LocalProgram,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const path = [env.PATH ?? '', ...SBIN_DIRS].filter(Boolean).join(delimiter);
  return findExecutable(program, { ...env, PATH: path });
}

/** Like findProgram, but a missing program throws with the install command. */
export function requireProgram(
  program: LocalProgram,
  purpose: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const found = findProgram(program, env);
  if (found) return found;
  const pkg = APT_PACKAGES[program];
  throw new LocalEnvironmentError(
    `${program} is not installed; the local environment needs it ${purpose}`,
    `install the Debian package ${pkg}: apt-get install -y ${pkg === 'prometheus' ? '--no-install-recommends ' : ''}${pkg}`,
  );
}
