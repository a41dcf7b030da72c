/**
 * Which parser reads which file. Pure: the caller hands in the file's text and, where a format
 * needs it, the text of a sibling (go.sum beside go.mod, package.json beside yarn.lock).
 */
import type { ParsedLockfile } from './locked-package.ts';
import { parseCargoLock } from './parsers/cargo-lock.ts';
import { parseGoMod } from './parsers/go-mod.ts';
import { parseMavenPom } from './parsers/maven-pom.ts';
import { parsePackageLock } from './parsers/package-lock.ts';
import { parsePnpmLock } from './parsers/pnpm-lock.ts';
import { parsePoetryLock } from './parsers/poetry-lock.ts';
import { parseRequirementsTxt } from './parsers/requirements-txt.ts';
import { parseUvLock } from './parsers/uv-lock.ts';
import { isYarnBerry, parseYarnBerry } from './parsers/yarn-berry.ts';
import { parseYarnV1 } from './parsers/yarn-v1.ts';

export interface LockfileFormat {
  /** Sibling file the parser reads too when present. */
  sibling?: string;
  parse(text: string, siblingText: string | undefined): ParsedLockfile;
}

const FORMATS: Record<string, LockfileFormat> = {
  'package-lock.json': { parse: (text) => parsePackageLock(text) },
  // npm-shrinkwrap.json has package-lock's format; npm prefers it when both exist.
  'npm-shrinkwrap.json': { parse: (text) => parsePackageLock(text) },
  'pnpm-lock.yaml': { parse: (text) => parsePnpmLock(text) },
  'yarn.lock': {
    sibling: 'package.json',
    parse: (text, manifest) =>
      isYarnBerry(text) ? parseYarnBerry(text) : parseYarnV1(text, manifest),
  },
  'poetry.lock': { parse: (text) => parsePoetryLock(text) },
  'uv.lock': { parse: (text) => parseUvLock(text) },
  'go.mod': { sibling: 'go.sum', parse: (text, goSum) => parseGoMod(text, goSum) },
  'Cargo.lock': { parse: (text) => parseCargoLock(text) },
  'pom.xml': { parse: (text) => parseMavenPom(text) },
};

const REQUIREMENTS = /^requirements(?:[-_.][\w.-]+)?\.txt$/;

/** The format for a file name, or undefined when it is not a lockfile we read. */
export function lockfileFormat(fileName: string): LockfileFormat | undefined {
  if (REQUIREMENTS.test(fileName)) return { parse: (text) => parseRequirementsTxt(text) };
  return Object.hasOwn(FORMATS, fileName) ? FORMATS[fileName] : undefined;
}
