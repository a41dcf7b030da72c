/**
 * The language version a service is built with, read from the files its own tools read (issue
 * 15): `.nvmrc`, `.node-version`, `.tool-versions`, `engines.node`, Volta; `.python-version`,
 * `runtime.txt`, `requires-python`, Poetry's and Pipenv's python; go.mod's `go` and `toolchain`;
 * the Gradle toolchain, `sourceCompatibility`, Maven's `java.version` /
 * `maven.compiler.release`. Each answer names the file and line it came from. Patterns are
 * anchored and linear: these files are untrusted text.
 */
import { parse as parseToml } from 'smol-toml';
import type { RepoFiles } from './repo-files.ts';
import { joinPath } from './repo-files.ts';

export interface VersionFact {
  /** `20` (Node major), `3.12` (Python, Go minor), `17` (Java feature release). */
  version: string;
  /** `path:line` it was read from. */
  source: string;
}

const fact = (version: string, path: string, text: string, index = 0): VersionFact => ({
  version,
  source: `${path}:${text.slice(0, Math.max(0, index)).split('\n').length}`,
});

/** Node release codenames as nvm names them (`lts/iron`), to their major. */
const NODE_CODENAMES: Record<string, string> = {
  hydrogen: '18',
  iron: '20',
  jod: '22',
  krypton: '24',
};

function nodeMajor(spec: string): string | null {
  const text = spec.trim().toLowerCase();
  const codename = /^lts\/([a-z]+)$/.exec(text);
  if (codename) return NODE_CODENAMES[codename[1]!] ?? null;
  // `v20.11.1`, `20`, `>=18.17`, `^20 || ^22` (the lowest the range allows is what must work).
  const major = /^[\s^~>=v]*(\d{1,2})(?:\.|\s|$|x|\*)/.exec(text);
  return major ? String(Number(major[1])) : null;
}

/** The Node major a service targets; `packageJson` is its parsed package.json, if any. */
export async function nodeVersion(
  files: RepoFiles,
  dir: string,
  packageJson: Record<string, unknown> | null,
): Promise<VersionFact | null> {
  for (const name of ['.nvmrc', '.node-version']) {
    const found = await files.nearest(dir, [name]);
    const line = found?.text.split('\n').find((l) => l.trim() !== '' && !l.startsWith('#'));
    const major = line ? nodeMajor(line) : null;
    if (found && major) return fact(major, found.path, found.text, found.text.indexOf(line!));
  }
  const tools = await toolVersions(files, dir, 'nodejs');
  if (tools) {
    const major = nodeMajor(tools.version);
    if (major) return { version: major, source: tools.source };
  }
  const pkgPath = joinPath(dir, 'package.json');
  const pkgText = (await files.text(pkgPath)) ?? '';
  const volta = record(packageJson?.volta)?.node;
  if (typeof volta === 'string' && nodeMajor(volta))
    return fact(nodeMajor(volta)!, pkgPath, pkgText, pkgText.indexOf('"volta"'));
  const engines = record(packageJson?.engines)?.node;
  if (typeof engines === 'string' && nodeMajor(engines))
    return fact(nodeMajor(engines)!, pkgPath, pkgText, pkgText.indexOf('"engines"'));
  return null;
}

/** `python 3.12.1` in asdf's `.tool-versions`. */
async function toolVersions(
  files: RepoFiles,
  dir: string,
  tool: string,
): Promise<VersionFact | null> {
  const found = await files.nearest(dir, ['.tool-versions']);
  if (!found) return null;
  for (const line of found.text.split('\n')) {
    const [name, version] = line.trim().split(/\s+/);
    if (name === tool && version)
      return fact(version, found.path, found.text, found.text.indexOf(line));
  }
  return null;
}

function pythonMinor(spec: string): string | null {
  const match = /(?:^|[^\d.])(3)\.(\d{1,2})(?:\D|$)/.exec(spec);
  return match ? `3.${Number(match[2])}` : null;
}

/** The Python minor a service targets. */
export async function pythonVersion(files: RepoFiles, dir: string): Promise<VersionFact | null> {
  const pinned = await files.nearest(dir, ['.python-version']);
  const line = pinned?.text.split('\n').find((l) => l.trim() !== '' && !l.startsWith('#'));
  if (pinned && line && pythonMinor(line))
    return fact(pythonMinor(line)!, pinned.path, pinned.text, pinned.text.indexOf(line));
  const tools = await toolVersions(files, dir, 'python');
  if (tools && pythonMinor(tools.version))
    return { ...tools, version: pythonMinor(tools.version)! };
  const runtime = await files.nearest(dir, ['runtime.txt']);
  const heroku = runtime ? /^python-(3\.\d{1,2})/m.exec(runtime.text) : null;
  if (runtime && heroku) return fact(heroku[1]!, runtime.path, runtime.text, heroku.index);
  const pyproject = await files.nearest(dir, ['pyproject.toml']);
  if (pyproject) {
    const spec = pyprojectPython(pyproject.text);
    const minor = spec ? pythonMinor(spec) : null;
    if (spec && minor)
      return fact(minor, pyproject.path, pyproject.text, pyproject.text.indexOf(spec));
  }
  const pipfile = await files.nearest(dir, ['Pipfile']);
  const required = pipfile ? /^python_version\s*=\s*"(3\.\d{1,2})/m.exec(pipfile.text) : null;
  if (pipfile && required) return fact(required[1]!, pipfile.path, pipfile.text, required.index);
  return null;
}

/** `requires-python`, or Poetry's `python` dependency: the lowest version they allow. */
function pyprojectPython(text: string): string | null {
  let data: Record<string, unknown>;
  try {
    data = parseToml(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  const requires = record(data.project)?.['requires-python'];
  if (typeof requires === 'string') return requires;
  const poetry = record(record(record(data.tool)?.poetry)?.dependencies)?.python;
  return typeof poetry === 'string' ? poetry : null;
}

/** go.mod's `go` line, or its `toolchain` when that is newer: the Go that must build it. */
export async function goVersion(files: RepoFiles, dir: string): Promise<VersionFact | null> {
  const found = await files.nearest(dir, ['go.mod']);
  if (!found) return null;
  const go = /^go[ \t]+1\.(\d{1,3})/m.exec(found.text);
  const toolchain = /^toolchain[ \t]+go1\.(\d{1,3})/m.exec(found.text);
  const best = [go, toolchain]
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(b[1]) - Number(a[1]))[0];
  return best ? fact(`1.${Number(best[1])}`, found.path, found.text, best.index) : null;
}

function javaRelease(value: string): string | null {
  const match = /^\s*(?:1\.)?(\d{1,2})\s*$/.exec(value);
  return match ? String(Number(match[1])) : null;
}

/** The Java release a Maven project compiles for. */
export async function mavenJava(files: RepoFiles, dir: string): Promise<VersionFact | null> {
  const path = joinPath(dir, 'pom.xml');
  const text = await files.text(path);
  if (!text) return null;
  for (const tag of [
    'maven.compiler.release',
    'java.version',
    'maven.compiler.target',
    'maven.compiler.source',
    'release',
  ]) {
    const open = `<${tag}>`;
    const at = text.indexOf(open);
    if (at < 0) continue;
    const end = text.indexOf('</', at);
    const release = end > at ? javaRelease(text.slice(at + open.length, end)) : null;
    if (release) return fact(release, path, text, at);
  }
  return null;
}

/** The Java release a Gradle build asks for: its toolchain, else its source compatibility. */
export async function gradleJava(files: RepoFiles, dir: string): Promise<VersionFact | null> {
  for (const name of ['build.gradle', 'build.gradle.kts']) {
    const path = joinPath(dir, name);
    const text = await files.text(path);
    if (!text) continue;
    const patterns = [
      /JavaLanguageVersion\.of\(\s*(\d{1,2})\s*\)/,
      /jvmToolchain\(\s*(\d{1,2})\s*\)/,
      /sourceCompatibility\s*=\s*JavaVersion\.VERSION_(?:1_)?(\d{1,2})\b/,
      /sourceCompatibility\s*=\s*['"]?(?:1\.)?(\d{1,2})['"]?/,
    ];
    for (const pattern of patterns) {
      const match = pattern.exec(text);
      if (match) return fact(String(Number(match[1])), path, text, match.index);
    }
  }
  return null;
}

/**
 * The Gradle version of the wrapper (`gradle-7.4-bin.zip` in gradle-wrapper.properties), and
 * the newest JDK that version can run on (Gradle's compatibility matrix): Gradle 7.4 fails to
 * start on Java 21.
 */
export async function gradleWrapper(
  files: RepoFiles,
  dir: string,
): Promise<{ version: string; maxJava: number; source: string } | null> {
  const found = await files.nearest(dir, ['gradle/wrapper/gradle-wrapper.properties']);
  const match = found
    ? /gradle-(\d{1,2})\.(\d{1,2})(?:\.\d{1,2})?-(?:bin|all)\.zip/.exec(found.text)
    : null;
  if (!found || !match) return null;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  const at = (v: string) => {
    const [a, b] = v.split('.').map(Number) as [number, number];
    return major > a || (major === a && minor >= b);
  };
  const maxJava = GRADLE_JAVA.find(([gradle]) => at(gradle))?.[1] ?? 8;
  const { source } = fact('', found.path, found.text, match.index);
  return { version: `${major}.${minor}`, maxJava, source };
}

/** First Gradle release that runs on each Java release, newest first. */
const GRADLE_JAVA: Array<[string, number]> = [
  ['9.1', 25],
  ['8.14', 24],
  ['8.10', 23],
  ['8.8', 22],
  ['8.5', 21],
  ['8.3', 20],
  ['7.6', 19],
  ['7.5', 18],
  ['7.3', 17],
  ['7.0', 16],
  ['6.7', 15],
  ['6.3', 14],
  ['6.0', 13],
  ['5.4', 12],
  ['5.0', 11],
];

function record(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}
