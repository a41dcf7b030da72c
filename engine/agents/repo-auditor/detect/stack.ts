/**
 * Language, package manager, lockfile and framework of one project, from its manifest and the
 * files next to it. Lockfiles are looked up from the project folder up to the root, because in
 * a workspace the lockfile lives at the workspace root.
 */
import { baseName, claimOf, ev } from '../evidence.ts';
import type { Claim, Language } from '../fingerprint.ts';
import type { ProjectManifest } from '../manifest.ts';
import type { RepoView } from '../repo-view.ts';
import { FRAMEWORKS, lookup, METRICS } from './catalog.ts';
import type { SourceFacts } from './source-scan.ts';

const NODE_LOCKFILES: ReadonlyArray<readonly [string, string]> = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
];

const PYTHON_LOCKFILES: ReadonlyArray<readonly [string, string]> = [
  ['poetry.lock', 'poetry'],
  ['uv.lock', 'uv'],
  ['Pipfile.lock', 'pipenv'],
  ['pdm.lock', 'pdm'],
];

export function detectLanguage(
  manifest: ProjectManifest,
  view: RepoView,
  ownFiles: readonly string[],
): Claim<Language> {
  const primary = manifest.files[0] ?? '';
  switch (manifest.ecosystem) {
    case 'node': {
      const tsconfig = view.nearest(manifest.dir, ['tsconfig.json']);
      if (tsconfig) return claimOf('typescript', ev(tsconfig));
      const ts = manifest.deps.get('typescript');
      if (ts) return claimOf('typescript', ts);
      const tsFile = ownFiles.find((file) => /\.tsx?$/.test(file) && !file.endsWith('.d.ts'));
      return tsFile ? claimOf('typescript', ev(tsFile)) : claimOf('javascript', ev(primary));
    }
    case 'python':
      return claimOf('python', ev(primary));
    case 'go':
      return claimOf('go', ev(primary));
    case 'jvm': {
      const kotlin = [...manifest.deps].find(([name]) => name.startsWith('org.jetbrains.kotlin'));
      if (kotlin) return claimOf('kotlin', kotlin[1]);
      const kotlinFile = ownFiles.find((file) => file.endsWith('.kt'));
      return kotlinFile ? claimOf('kotlin', ev(kotlinFile)) : claimOf('java', ev(primary));
    }
  }
}

export interface PackagingFacts {
  packageManager: Claim<string>;
  lockfile: Claim<string> | null;
  /** False for ecosystems where a lockfile is not customary (Maven, Gradle). */
  lockfileExpected: boolean;
}

export function detectPackaging(
  manifest: ProjectManifest,
  view: RepoView,
  pinnedRequirements: Set<string>,
): PackagingFacts {
  const primary = manifest.files[0] ?? '';
  const fromLockfiles = (table: ReadonlyArray<readonly [string, string]>) => {
    const path = view.nearest(
      manifest.dir,
      table.map(([name]) => name),
    );
    const manager = path ? table.find(([name]) => name === baseName(path))?.[1] : undefined;
    return path && manager ? { path, manager } : undefined;
  };
  switch (manifest.ecosystem) {
    case 'node': {
      const lock = fromLockfiles(NODE_LOCKFILES);
      const packageManager = lock
        ? claimOf(lock.manager, ev(lock.path))
        : (manifest.declaredPackageManager ?? claimOf('npm', ev(primary)));
      return {
        packageManager,
        lockfile: lock ? claimOf(lock.path, ev(lock.path)) : null,
        lockfileExpected: true,
      };
    }
    case 'python': {
      const lock = fromLockfiles(PYTHON_LOCKFILES);
      if (lock)
        return {
          packageManager: claimOf(lock.manager, ev(lock.path)),
          lockfile: claimOf(lock.path, ev(lock.path)),
          lockfileExpected: true,
        };
      const requirements = manifest.files.find((file) => baseName(file) === 'requirements.txt');
      const packageManager =
        manifest.declaredPackageManager ?? claimOf('pip', ev(requirements ?? primary));
      const pinned =
        requirements && pinnedRequirements.has(requirements)
          ? claimOf(requirements, ev(requirements))
          : null;
      return { packageManager, lockfile: pinned, lockfileExpected: true };
    }
    case 'go': {
      const sum = view.nearest(manifest.dir, ['go.sum']);
      const external = [...manifest.deps.keys()].length > 0;
      return {
        packageManager: claimOf('go modules', ev(primary)),
        lockfile: sum ? claimOf(sum, ev(sum)) : null,
        lockfileExpected: external,
      };
    }
    case 'jvm': {
      const gradle = baseName(primary).startsWith('build.gradle');
      return {
        packageManager: claimOf(gradle ? 'gradle' : 'maven', ev(primary)),
        lockfile: null,
        lockfileExpected: false,
      };
    }
  }
}

/** The HTTP metrics dialect a metrics library among the dependencies writes (catalog METRICS). */
export function detectMetrics(manifest: ProjectManifest): Claim<string> | null {
  const found = lookup(METRICS[manifest.ecosystem], manifest.deps);
  return found ? claimOf(found.meaning, found.at) : null;
}

export function detectFramework(
  manifest: ProjectManifest,
  facts: SourceFacts,
): Claim<string> | null {
  const found = lookup(FRAMEWORKS[manifest.ecosystem], manifest.deps);
  if (found) return claimOf(found.meaning, found.at);
  if (manifest.ecosystem === 'go') {
    const netHttp = facts.entries.find((entry) => entry.kind === 'net-http');
    if (netHttp) return claimOf('net/http', netHttp.evidence);
  }
  return null;
}
