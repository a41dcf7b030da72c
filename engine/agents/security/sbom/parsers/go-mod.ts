/**
 * go.mod + go.sum. Since Go 1.17 go.mod lists every module in the build (indirect ones marked
 * `// indirect`), so it alone is the component list; for older go.mod files the modules go.sum
 * holds are added, as Go itself would have needed them. `replace` directives are applied (a
 * replacement by a local path has no version to name and drops the module). go.sum's `h1:`
 * value is the SHA-256 module hash (dirhash), reported as SHA-256 as cdxgen does.
 * https://go.dev/ref/mod#go-mod-file https://go.dev/ref/mod#go-sum-files
 */
import { hasDigestLength, lockedPackage, uniqueSorted } from '../locked-package.ts';
import type { LockedPackage, ParsedLockfile } from '../locked-package.ts';

interface Directive {
  verb: string;
  args: string[];
}

export function parseGoMod(goMod: string, goSum?: string): ParsedLockfile {
  const directives = readDirectives(goMod);
  const goVersion = directives.find((d) => d.verb === 'go')?.args[0] ?? '1.17';
  const replaces = new Map<string, { path: string; version?: string } | null>();
  for (const { verb, args } of directives) {
    if (verb !== 'replace') continue;
    const arrow = args.indexOf('=>');
    const from = args.slice(0, arrow);
    const to = args.slice(arrow + 1);
    const local = to[0]?.startsWith('.') || to[0]?.startsWith('/');
    const target = local || !to[0] ? null : { path: to[0], version: to[1] };
    replaces.set(from.join('@'), target);
  }
  const sums = readGoSum(goSum ?? '');
  const required = new Map<string, string>();
  for (const { verb, args } of directives) {
    if (verb === 'require' && args[0] && args[1]) required.set(args[0], args[1]);
  }
  if (olderThan117(goVersion)) {
    for (const key of sums.keys()) {
      const [path, version] = key.split('@') as [string, string];
      if (!required.has(path)) required.set(path, version);
    }
  }
  const packages = new Map<string, LockedPackage>();
  for (const [path, version] of required) {
    const replaced = replaces.has(`${path}@${version}`)
      ? replaces.get(`${path}@${version}`)
      : replaces.get(path);
    if (replaced === null) continue;
    const finalPath = replaced?.path ?? path;
    const finalVersion = replaced?.version ?? version;
    const h1 = sums.get(`${finalPath}@${finalVersion}`);
    const pkg = goPackage(finalPath, finalVersion, h1);
    packages.set(pkg.purl, pkg);
  }
  return {
    format: 'go-mod',
    packages: [...packages.values()],
    direct: uniqueSorted(packages.keys()),
  };
}

/** The main module's path, which becomes the SBOM's root component. */
export function goModulePath(goMod: string): string | undefined {
  return readDirectives(goMod).find((d) => d.verb === 'module')?.args[0];
}

function goPackage(path: string, version: string, h1: string | undefined): LockedPackage {
  const slash = path.lastIndexOf('/');
  const namespace = slash > 0 ? path.slice(0, slash) : undefined;
  const name = slash > 0 ? path.slice(slash + 1) : path;
  const hex = h1 ? Buffer.from(h1, 'base64').toString('hex') : '';
  const hashes = hasDigestLength('SHA-256', hex) ? [{ alg: 'SHA-256' as const, content: hex }] : [];
  return lockedPackage('golang', namespace, name, version, { hashes });
}

function olderThan117(goVersion: string): boolean {
  const [major = 1, minor = 0] = goVersion.split('.').map(Number);
  return major === 1 && minor < 17;
}

function readDirectives(text: string): Directive[] {
  const out: Directive[] = [];
  let block: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (line === '') continue;
    if (block) {
      if (line === ')') block = undefined;
      else out.push({ verb: block, args: tokens(line) });
      continue;
    }
    const [verb = '', ...args] = tokens(line);
    if (args.length === 1 && args[0] === '(') block = verb;
    else out.push({ verb, args });
  }
  return out;
}

function tokens(line: string): string[] {
  return line.split(/\s+/).map((token) => token.replace(/^"(.*)"$/, '$1'));
}

/** `module version h1:hash` lines (the `/go.mod` lines hash only the go.mod file). */
function readGoSum(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const [path, version, hash] = line.trim().split(/\s+/);
    if (!path || !version || !hash?.startsWith('h1:') || version.endsWith('/go.mod')) continue;
    sums.set(`${path}@${version}`, hash.slice(3));
  }
  return sums;
}
