/**
 * poetry.lock (lock-version 1.x and 2.x). Edges are by package name in `[package.dependencies]`;
 * file hashes are per artefact (`files`, or `[metadata.files]` before 2.0): the sdist's hash
 * names the release, so that one is reported.
 * https://python-poetry.org/docs/basic-usage/#installing-with-poetrylock
 */
import { parse } from 'smol-toml';
import {
  hashFromPrefixed,
  lockedPackage,
  normalisePythonName,
  uniqueSorted,
} from '../locked-package.ts';
import type { LockedPackage, ParsedLockfile } from '../locked-package.ts';

interface PoetryFile {
  file?: string;
  hash?: string;
}

interface PoetryPackage {
  name: string;
  version: string;
  category?: string;
  files?: PoetryFile[];
  dependencies?: Record<string, unknown>;
  source?: { type?: string };
}

export function parsePoetryLock(text: string): ParsedLockfile {
  const doc = parse(text) as unknown as {
    package?: PoetryPackage[];
    metadata?: { files?: Record<string, PoetryFile[]> };
  };
  const packages = (doc.package ?? []).filter(
    // Directory and git sources have no registry release to name.
    (pkg) => !pkg.source?.type || pkg.source.type === 'legacy',
  );
  const purlByName = new Map<string, string>();
  const out: LockedPackage[] = packages.map((pkg) => {
    const files = pkg.files ?? doc.metadata?.files?.[pkg.name] ?? [];
    const locked = lockedPackage('pypi', undefined, pkg.name, pkg.version, {
      hashes: hashFromPrefixed(sdistOf(files)?.hash),
      dev: pkg.category === 'dev',
    });
    purlByName.set(normalisePythonName(pkg.name), locked.purl);
    return locked;
  });
  packages.forEach((pkg, index) => {
    out[index]!.dependsOn = uniqueSorted(
      Object.keys(pkg.dependencies ?? {}).flatMap(
        (name) => purlByName.get(normalisePythonName(name)) ?? [],
      ),
    );
  });
  return { format: 'poetry-lock', packages: out, direct: [] };
}

function sdistOf(files: PoetryFile[]): PoetryFile | undefined {
  return files.find((file) => /\.(tar\.gz|zip)$/.test(file.file ?? '')) ?? files[0];
}
