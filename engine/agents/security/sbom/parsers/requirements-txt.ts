/**
 * requirements.txt, pinned lines only (`name==1.2.3` or `name===1.2.3`, as `pip freeze` and
 * `pip-compile` write them). Ranges name no single version, so they are not components.
 * A line's `--hash` options are kept when there is exactly one (several hash several files).
 * https://pip.pypa.io/en/stable/reference/requirements-file-format/
 */
import { hashFromPrefixed, lockedPackage, uniqueSorted } from '../locked-package.ts';
import type { LockedPackage, ParsedLockfile } from '../locked-package.ts';

const PINNED =
  /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([^\s;,#]+)\s*(?:[;#].*)?$/;

export function parseRequirementsTxt(text: string): ParsedLockfile {
  const byPurl = new Map<string, LockedPackage>();
  for (const line of logicalLines(text)) {
    const hashes = [...line.matchAll(/--hash[=\s]+(\S+)/g)].map((match) => match[1]!);
    const requirement = line.replace(/\s--hash[=\s]+\S+/g, '').trim();
    const match = PINNED.exec(requirement);
    if (!match) continue;
    const pkg = lockedPackage('pypi', undefined, match[1]!, match[2]!, {
      hashes: hashes.length === 1 ? hashFromPrefixed(hashes[0]) : [],
    });
    byPurl.set(pkg.purl, pkg);
  }
  const packages = [...byPurl.values()];
  // A flat list: every pinned line is something the project installs directly.
  return {
    format: 'requirements-txt',
    packages,
    direct: uniqueSorted(packages.map((pkg) => pkg.purl)),
  };
}

/** Joins `\` continuations, drops comments, blank lines and option lines (`-r`, `-e`, `--index-url`). */
function logicalLines(text: string): string[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  return joined
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('-'));
}
