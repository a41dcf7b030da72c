/**
 * yarn.lock v1 (Yarn classic). Not YAML: a line format of its own where each block is headed
 * by the comma-separated specifiers (`name@range`) it satisfies, with 2-space indented fields
 * and a nested `dependencies:` block. Direct dependencies are not in the lockfile; they come
 * from the package.json beside it when given.
 * https://classic.yarnpkg.com/lang/en/docs/yarn-lock/
 */
import {
  hashesFromIntegrity,
  lockedPackage,
  npmNameParts,
  uniqueSorted,
} from '../locked-package.ts';
import type { LockedPackage, ParsedLockfile } from '../locked-package.ts';

interface Block {
  specifiers: string[];
  fields: Map<string, string>;
  deps: Map<string, string>;
}

export function parseYarnV1(text: string, packageJson?: string): ParsedLockfile {
  const blocks = readBlocks(text);
  const bySpecifier = new Map<string, string>();
  const byPurl = new Map<string, { pkg: LockedPackage; deps: Array<[string, string]> }>();
  for (const block of blocks) {
    const version = block.fields.get('version');
    const first = block.specifiers[0];
    if (!version || !first) continue;
    const fullName = realName(first);
    const { namespace, name } = npmNameParts(fullName);
    const pkg = lockedPackage('npm', namespace, name, version, {
      hashes: hashesFromIntegrity(block.fields.get('integrity')),
    });
    for (const specifier of block.specifiers) bySpecifier.set(specifier, pkg.purl);
    const entry = byPurl.get(pkg.purl) ?? { pkg, deps: [] };
    entry.deps.push(...block.deps);
    byPurl.set(pkg.purl, entry);
  }
  const lookup = (name: string, range: string) => bySpecifier.get(`${name}@${range}`);
  for (const { pkg, deps } of byPurl.values()) {
    pkg.dependsOn = uniqueSorted(deps.flatMap(([name, range]) => lookup(name, range) ?? []));
  }
  const direct: string[] = [];
  if (packageJson) {
    const manifest = JSON.parse(packageJson) as Record<string, Record<string, string> | undefined>;
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
      for (const [name, range] of Object.entries(manifest[field] ?? {})) {
        const purl = lookup(name, range);
        if (purl) direct.push(purl);
      }
    }
  }
  return {
    format: 'yarn-v1',
    packages: [...byPurl.values()].map((entry) => entry.pkg),
    direct: uniqueSorted(direct),
  };
}

function readBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let block: Block | undefined;
  let inDeps = false;
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim();
    if (indent === 0) {
      block = {
        specifiers: splitSpecifiers(line.replace(/:$/, '')),
        fields: new Map(),
        deps: new Map(),
      };
      blocks.push(block);
      inDeps = false;
    } else if (block && indent === 2) {
      inDeps = /^(dependencies|optionalDependencies):$/.test(line);
      if (!line.endsWith(':')) {
        const [key, value] = keyValue(line);
        block.fields.set(key, value);
      }
    } else if (block && indent >= 4 && inDeps) {
      const [name, range] = keyValue(line);
      block.deps.set(name, range);
    }
  }
  return blocks;
}

function splitSpecifiers(header: string): string[] {
  return header.split(',').map((part) => unquote(part.trim()));
}

/** `key "value"` or `"@scope/key" value` → [key, value]. */
function keyValue(line: string): [string, string] {
  const match = /^("(?:[^"\\]|\\.)*"|\S+)\s+(.*)$/.exec(line);
  if (!match) return [unquote(line), ''];
  return [unquote(match[1]!), unquote(match[2]!.trim())];
}

function unquote(value: string): string {
  return value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

/** `name@range` → name; an alias `alias@npm:real@range` → real. */
function realName(specifier: string): string {
  const at = specifier.indexOf('@', 1);
  const name = at > 0 ? specifier.slice(0, at) : specifier;
  const range = at > 0 ? specifier.slice(at + 1) : '';
  if (range.startsWith('npm:')) {
    const aliased = range.slice(4);
    const aliasAt = aliased.indexOf('@', 1);
    return aliasAt > 0 ? aliased.slice(0, aliasAt) : aliased;
  }
  return name;
}
