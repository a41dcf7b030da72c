/**
 * Python manifests: pyproject.toml (PEP 621 [project], Poetry, uv, pytest and coverage
 * sections), Pipfile (TOML) and requirements*.txt (pip's line format). TOML goes through
 * smol-toml; a requirement's name is the PEP 508 name at the start of the string.
 */
import { TomlError, parse as parseToml } from 'smol-toml';
import { ev, findLine } from '../evidence.ts';
import { emptyManifest } from '../manifest.ts';
import type { ManifestParse, ProjectManifest } from '../manifest.ts';
import { isRecord } from './compose.ts';

const REQUIREMENT_NAME = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/;

/** PEP 503 normalised name: what `pip` compares. */
export function normalizePyName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function tomlOrError(
  text: string,
): { ok: true; data: Record<string, unknown> } | { ok: false; error: string; line: number } {
  try {
    return { ok: true, data: parseToml(text) as Record<string, unknown> };
  } catch (error) {
    return error instanceof TomlError
      ? {
          ok: false,
          error: `not valid TOML: ${error.message.split('\n')[0] ?? ''}`,
          line: Math.max(1, error.line),
        }
      : { ok: false, error: `not valid TOML: ${(error as Error).message}`, line: 1 };
  }
}

function addRequirement(
  manifest: ProjectManifest,
  path: string,
  text: string,
  requirement: string,
): void {
  const match = REQUIREMENT_NAME.exec(requirement);
  if (!match?.[1]) return;
  const name = normalizePyName(match[1]);
  if (manifest.deps.has(name)) return;
  // Lookbehind, not a consumed delimiter: the match must start on the requirement's own line.
  const line = findLine(text, new RegExp(`(?<=^|["'\\s])${escapeRegExp(match[1])}\\b`, 'm')) ?? 1;
  manifest.deps.set(name, ev(path, line));
}

export function parsePyproject(path: string, dir: string, text: string): ManifestParse {
  const parsed = tomlOrError(text);
  if (!parsed.ok) return parsed;
  const data = parsed.data;
  const manifest = emptyManifest('python', dir, path);
  const project = isRecord(data.project) ? data.project : {};
  const tool = isRecord(data.tool) ? data.tool : {};
  const poetry = isRecord(tool.poetry) ? tool.poetry : undefined;
  manifest.name =
    typeof project.name === 'string'
      ? project.name
      : typeof poetry?.name === 'string'
        ? poetry.name
        : null;

  const requirements: string[] = [];
  if (Array.isArray(project.dependencies)) requirements.push(...project.dependencies.map(String));
  if (isRecord(project['optional-dependencies'])) {
    for (const group of Object.values(project['optional-dependencies']))
      if (Array.isArray(group)) requirements.push(...group.map(String));
  }
  if (isRecord(data['dependency-groups'])) {
    for (const group of Object.values(data['dependency-groups']))
      if (Array.isArray(group))
        requirements.push(...group.filter((item) => typeof item === 'string'));
  }
  for (const requirement of requirements) addRequirement(manifest, path, text, requirement);
  if (poetry) {
    const groups = [poetry.dependencies, poetry['dev-dependencies']];
    if (isRecord(poetry.group))
      for (const group of Object.values(poetry.group))
        if (isRecord(group)) groups.push(group.dependencies);
    for (const group of groups) {
      if (!isRecord(group)) continue;
      for (const name of Object.keys(group))
        if (name !== 'python') addRequirement(manifest, path, text, name);
    }
    manifest.declaredPackageManager = {
      value: 'poetry',
      evidence: [ev(path, findLine(text, '[tool.poetry') ?? 1)],
    };
  } else if (isRecord(tool.uv)) {
    manifest.declaredPackageManager = {
      value: 'uv',
      evidence: [ev(path, findLine(text, '[tool.uv') ?? 1)],
    };
  }
  if (isRecord(project.scripts)) {
    for (const [name, target] of Object.entries(project.scripts)) {
      if (typeof target === 'string')
        manifest.scripts.set(name, {
          command: target,
          evidence: ev(path, findLine(text, name) ?? 1),
        });
    }
  }
  if (isRecord(tool.pytest))
    manifest.testConfig = {
      value: 'pytest',
      evidence: [ev(path, findLine(text, '[tool.pytest') ?? 1)],
    };
  if (isRecord(tool.coverage)) manifest.coverage = ev(path, findLine(text, '[tool.coverage') ?? 1);
  return { ok: true, manifest };
}

export function parsePipfile(path: string, dir: string, text: string): ManifestParse {
  const parsed = tomlOrError(text);
  if (!parsed.ok) return parsed;
  const manifest = emptyManifest('python', dir, path);
  for (const section of ['packages', 'dev-packages']) {
    const group = parsed.data[section];
    if (isRecord(group))
      for (const name of Object.keys(group)) addRequirement(manifest, path, text, name);
  }
  manifest.declaredPackageManager = { value: 'pipenv', evidence: [ev(path, 1)] };
  return { ok: true, manifest };
}

export interface RequirementsInfo {
  manifest: ProjectManifest;
  /** Every requirement pinned with `==` (or hashed): the file works as a lockfile. */
  pinned: boolean;
}

export function parseRequirements(path: string, dir: string, text: string): RequirementsInfo {
  const manifest = emptyManifest('python', dir, path);
  let requirements = 0;
  let pinnedCount = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (line === '' || line.startsWith('#') || line.startsWith('-')) continue;
    requirements += 1;
    if (/==|--hash=/.test(line)) pinnedCount += 1;
    addRequirement(manifest, path, text, line);
  }
  return { manifest, pinned: requirements > 0 && pinnedCount === requirements };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
