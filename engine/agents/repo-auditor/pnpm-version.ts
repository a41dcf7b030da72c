/**
 * Which pnpm installs a repository's dependencies, as an npm spec (`pnpm@10.19.0`, `pnpm@9`).
 *
 * Builds install pnpm from the npm mirror with `npm install --global <spec>` rather than
 * through corepack: a repository that pins no `packageManager` makes corepack fetch the newest
 * pnpm, which can be a major the image's corepack cannot start (pnpm 12 ships a native
 * launcher; corepack 0.33 looks for `bin/pnpm.cjs` and fails with MODULE_NOT_FOUND), and every
 * corepack fetch needs signatures a mirror may not serve. The spec is the version the
 * repository pins, else the major that writes its lockfile's format.
 */

/** lockfileVersion → the pnpm major that reads and writes it unchanged. */
const LOCKFILE_MAJORS: Array<[RegExp, string]> = [
  [/^9\./, '9'],
  [/^6\./, '8'],
  [/^5\.4$/, '7'],
  [/^5\.[0-3]$/, '6'],
];

/** A pnpm version a `packageManager` field pins: `pnpm@10.19.0+sha512.…` → `10.19.0`. */
function pinned(packageManager: unknown): string | null {
  if (typeof packageManager !== 'string') return null;
  const match = /^pnpm@(\d{1,4}\.\d{1,4}\.\d{1,4}(?:-[0-9A-Za-z.]{1,40})?)(?:\+.*)?$/.exec(
    packageManager.trim(),
  );
  return match ? match[1]! : null;
}

/** The `lockfileVersion` of a pnpm-lock.yaml (its first lines), e.g. `9.0`. */
function lockfileVersion(lockfileText: string | null): string | null {
  const head = lockfileText?.slice(0, 400) ?? '';
  const line = head.split('\n').find((l) => l.startsWith('lockfileVersion:'));
  const value = line
    ?.slice('lockfileVersion:'.length)
    .trim()
    .replace(/^['"]|['"]$/g, '');
  return value || null;
}

/**
 * `packageManager` is the install root's package.json field; `lockfileText` its pnpm-lock.yaml.
 * With neither, pnpm 9 (the oldest major of the current lockfile format) is the safe default.
 */
export function pnpmSpecOf(packageManager: unknown, lockfileText: string | null): string {
  const version = pinned(packageManager);
  if (version) return `pnpm@${version}`;
  const format = lockfileVersion(lockfileText);
  const major = format ? LOCKFILE_MAJORS.find(([pattern]) => pattern.test(format))?.[1] : null;
  return `pnpm@${major ?? '9'}`;
}

/** The install line that puts that pnpm on the PATH (npm comes with every Node image). */
export function pnpmInstallOf(spec: string): string {
  return `npm install --global --no-audit --no-fund ${spec}`;
}
