/**
 * package.json: dependencies of every kind, scripts, workspaces, the `packageManager` field
 * (Corepack) and an inline jest config. JSON.parse does the parsing; lines are found by looking
 * for the key inside its section, since JSON.parse keeps no positions.
 */
import { ev, findLine } from '../evidence.ts';
import { emptyManifest } from '../manifest.ts';
import type { ManifestParse } from '../manifest.ts';
import { isRecord } from './compose.ts';

const DEP_SECTIONS = [
  'dependencies',
  'devDependencies',
  'peerDependencies',
  'optionalDependencies',
];

export function parsePackageJson(path: string, dir: string, text: string): ManifestParse {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `not valid JSON: ${(error as Error).message}`, line: 1 };
  }
  if (!isRecord(data)) return { ok: false, error: 'the top level is not an object', line: 1 };
  const manifest = emptyManifest('node', dir, path);
  manifest.name = typeof data.name === 'string' ? data.name : null;

  for (const section of DEP_SECTIONS) {
    const deps = data[section];
    if (!isRecord(deps)) continue;
    const sectionStart = text.indexOf(`"${section}"`);
    for (const name of Object.keys(deps)) {
      if (manifest.deps.has(name)) continue;
      manifest.deps.set(
        name,
        ev(path, findLine(text, `"${name}"`, Math.max(0, sectionStart)) ?? 1),
      );
    }
  }
  if (isRecord(data.scripts)) {
    const sectionStart = Math.max(0, text.indexOf('"scripts"'));
    for (const [name, command] of Object.entries(data.scripts)) {
      if (typeof command !== 'string') continue;
      manifest.scripts.set(name, {
        command,
        evidence: ev(path, findLine(text, `"${name}"`, sectionStart) ?? 1),
      });
    }
  }
  const workspaces = Array.isArray(data.workspaces)
    ? data.workspaces
    : isRecord(data.workspaces)
      ? data.workspaces.packages
      : undefined;
  if (Array.isArray(workspaces)) {
    manifest.workspaces = {
      value: workspaces.filter((item): item is string => typeof item === 'string'),
      evidence: [ev(path, findLine(text, '"workspaces"') ?? 1)],
    };
  }
  if (typeof data.packageManager === 'string') {
    const name = data.packageManager.split('@')[0] ?? '';
    if (['npm', 'pnpm', 'yarn', 'bun'].includes(name)) {
      manifest.declaredPackageManager = {
        value: name,
        evidence: [ev(path, findLine(text, '"packageManager"') ?? 1)],
      };
    }
  }
  if (isRecord(data.jest) && ('coverageThreshold' in data.jest || 'collectCoverage' in data.jest)) {
    manifest.coverage = ev(path, findLine(text, '"jest"') ?? 1);
  }
  return { ok: true, manifest };
}
