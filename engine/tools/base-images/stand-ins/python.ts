/**
 * `python:3.x*` — Debian 12 + the host's Python 3.11 with pip and venv (python3-pip,
 * python3-venv), set up like the official image: python, python3, pip and pip3 in
 * /usr/local/bin, LANG=C.UTF-8, CMD python3, and no EXTERNALLY-MANAGED marker — the official
 * images let `pip install` write to the system site-packages, and Dockerfiles rely on it (Debian's
 * pip then installs under /usr/local/lib/python3.11/dist-packages, beside Debian's own packages).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageReference } from '../image-reference.ts';
import { linkInRoot } from '../root-edit.ts';
import { codeOf, debianLabel, DEFAULT_PATH } from './debian.ts';
import type { HostContext, StandInAnswer, StandInContent, StandInFamily } from './types.ts';
import { differenceFrom, splitTag } from './variant.ts';

const PACKAGES = ['python3', 'python3-pip', 'python3-venv'];
const MOVING = new Set(['latest', '3']);

/** `3.11.2` from the host's python3.11 package, or undefined when Python is not installed. */
export function hostPythonVersion(context: HostContext): string | undefined {
  // python3 depends on the interpreter it selects (python3.11 on Debian 12).
  const name = context.database.packages
    .get('python3')
    ?.depends.flat()
    .find((dependency) => /^python3\.\d+$/.test(dependency));
  const interpreter = name ? context.database.packages.get(name) : undefined;
  return interpreter ? /^(\d+\.\d+\.\d+)/.exec(interpreter.version)?.[1] : undefined;
}

export const pythonFamily: StandInFamily = {
  name: 'python',
  examples: ['python:3.12-slim', 'python:3.11-slim-bookworm', 'python:3.12-alpine', 'python:3'],
  describe: (context) =>
    `${debianLabel()} + Python ${hostPythonVersion(context) ?? '(not installed)'} with pip and venv; another 3.x: a warning`,
  matches: (ref) => ref.official && ref.name === 'python',
  offer: async (ref: ImageReference, context: HostContext): Promise<StandInAnswer> => {
    const tag = splitTag(ref.tag, (word) => word === 'latest');
    const version = hostPythonVersion(context);
    const missing = PACKAGES.filter((name) => !context.database.packages.has(name));
    if (!version || missing.length)
      return {
        available: false,
        family: 'python',
        reason: `Python is not fully installed on this machine (missing ${missing.join(', ') || 'python3'})`,
      };
    const requested = tag.version ?? 'latest';
    if (/^2(?:\.|$)/.test(requested))
      return {
        available: false,
        family: 'python',
        reason: `Python ${requested} is not available here (this machine has Python ${version} only)`,
      };
    if (!MOVING.has(requested) && !/^3\.\d+(?:\.\d+)?/.test(requested))
      return {
        available: false,
        family: 'python',
        reason: `python:${ref.tag} is not a Python tag`,
      };
    const difference = differenceFrom(tag.os);
    const warnings = [...difference.warnings];
    const minor = version.split('.').slice(0, 2).join('.');
    const requestedMinor = /^3\.\d+/.exec(requested)?.[0];
    if (requestedMinor && requestedMinor !== minor)
      warnings.push(
        `Python ${requested} requested: Python ${version} stands in (the minor version differs)`,
      );
    if (MOVING.has(requested))
      warnings.push(`python:${requested} moves with Python releases; Python ${version} stands in`);
    if (tag.rest.length) warnings.push(`tag parts not stood in: ${tag.rest.join('-')}`);
    // The full (non-slim) image compiles C extensions pip cannot find as wheels.
    const buildTools =
      !tag.slim && tag.os?.kind !== 'alpine'
        ? BUILD_TOOLS.filter((name) => context.database.packages.has(name))
        : [];
    return {
      available: true,
      family: 'python',
      offer: {
        content: pythonContent(version, minor, buildTools),
        warnings,
        variantChanged: difference.variantChanged,
        missingPackageManagers: difference.missingPackageManagers,
      },
    };
  },
};

/** What the full image has for building C extensions (buildpack-deps). */
const BUILD_TOOLS = ['gcc', 'g++', 'make', 'libc6-dev', 'python3-dev', 'git'];

function pythonContent(version: string, minor: string, buildTools: string[]): StandInContent {
  return {
    key: `python-${version}${buildTools.length > 0 ? '-full' : ''}`,
    flavor: 'debian',
    packages: [...PACKAGES, ...buildTools],
    hashInputs: [codeOf(import.meta.url)],
    changes: [
      `ENV PATH=${DEFAULT_PATH}`,
      'ENV LANG=C.UTF-8',
      `ENV PYTHON_VERSION=${version}`,
      'CMD ["python3"]',
    ],
    actual: `Python ${version} with pip and venv${buildTools.length > 0 ? `, ${buildTools.join(', ')}` : ''} on ${debianLabel()}`,
    customize: (root) => {
      linkInRoot(root, '/usr/local/bin/python3', '/usr/bin/python3');
      linkInRoot(root, '/usr/local/bin/python', '/usr/bin/python3');
      linkInRoot(root, '/usr/local/bin/pip3', '/usr/bin/pip3');
      linkInRoot(root, '/usr/local/bin/pip', '/usr/bin/pip3');
      rmSync(join(root, `usr/lib/python${minor}/EXTERNALLY-MANAGED`), { force: true });
    },
  };
}
