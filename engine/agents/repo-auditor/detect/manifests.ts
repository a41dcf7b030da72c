/**
 * Finds and parses every build manifest in the tree and merges those of one folder and
 * ecosystem (pyproject.toml + requirements.txt). Manifests under fixture/testdata folders are
 * test data, not projects. Unparseable or unreadable manifests become gaps, never exceptions.
 */
import { dirOf, ev } from '../evidence.ts';
import type { GapList } from '../gap-list.ts';
import { mergeManifest } from '../manifest.ts';
import type { ManifestParse, ProjectManifest } from '../manifest.ts';
import { parseGoMod } from '../parsers/go-mod.ts';
import { parseGradle, parseGradleSettings, parsePom } from '../parsers/jvm-build.ts';
import { parsePackageJson } from '../parsers/package-json.ts';
import { parsePipfile, parsePyproject, parseRequirements } from '../parsers/python-manifest.ts';
import type { RepoView } from '../repo-view.ts';
import { emptyManifest } from '../manifest.ts';

const TEST_DATA_DIR = /(?:^|\/)(?:fixtures|__fixtures__|testdata|test-data)\//;

type Parser = (path: string, dir: string, text: string) => ManifestParse;

/** The manifests that declare dependencies, by file name, with their parsers. */
export const DEPENDENCY_MANIFESTS: Readonly<Record<string, Parser>> = {
  'package.json': parsePackageJson,
  'pyproject.toml': parsePyproject,
  Pipfile: parsePipfile,
  'requirements.txt': (path, dir, text) => ({
    ok: true,
    manifest: parseRequirements(path, dir, text).manifest,
  }),
  'go.mod': parseGoMod,
  'pom.xml': parsePom,
  'build.gradle': parseGradle,
  'build.gradle.kts': parseGradle,
};

const PARSERS: Record<string, Parser> = {
  ...DEPENDENCY_MANIFESTS,
  // setup.py is code: it marks a Python project, its dependencies are not read.
  'setup.py': (path, dir) => ({ ok: true, manifest: emptyManifest('python', dir, path) }),
};

export interface ManifestIndex {
  manifests: ProjectManifest[];
  /** requirements.txt files in which every requirement is pinned (they act as a lockfile). */
  pinnedRequirements: Set<string>;
}

export async function collectManifests(view: RepoView, gaps: GapList): Promise<ManifestIndex> {
  const byKey = new Map<string, ProjectManifest>();
  const pinnedRequirements = new Set<string>();
  const paths = Object.keys(PARSERS)
    .flatMap((name) => view.named(name))
    .filter((path) => !TEST_DATA_DIR.test(path))
    .sort();
  const texts = await Promise.all(paths.map((path) => view.text(path)));
  paths.forEach((path, index) => {
    const text = texts[index];
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (text === undefined) {
      gaps.add(
        'unreadable-file',
        null,
        `${path} could not be read as text (${view.unreadable.get(path) ?? 'unknown'})`,
        [ev(path)],
      );
      return;
    }
    const dir = dirOf(path);
    const parser = PARSERS[name];
    if (!parser) return;
    const parsed = parser(path, dir, text);
    if (!parsed.ok) {
      gaps.add('malformed-manifest', null, `${path}: ${parsed.error}`, [ev(path, parsed.line)]);
      return;
    }
    if (name === 'requirements.txt' && parseRequirements(path, dir, text).pinned)
      pinnedRequirements.add(path);
    const key = `${parsed.manifest.ecosystem}:${dir}`;
    const existing = byKey.get(key);
    if (existing) mergeManifest(existing, parsed.manifest);
    else byKey.set(key, parsed.manifest);
  });
  // Gradle names a project in settings.gradle(.kts), not in the build script.
  for (const manifest of byKey.values()) {
    if (manifest.ecosystem !== 'jvm' || manifest.name) continue;
    const settings = ['settings.gradle.kts', 'settings.gradle']
      .map((name) => (manifest.dir === '.' ? name : `${manifest.dir}/${name}`))
      .find((path) => view.has(path));
    const text = settings ? await view.text(settings) : undefined;
    if (text) manifest.name = parseGradleSettings(text).name;
  }
  return {
    manifests: [...byKey.values()].sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0)),
    pinnedRequirements,
  };
}
