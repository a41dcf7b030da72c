/**
 * yarn 1 and the relay. yarn 1 reads YARN_REGISTRY for packages it resolves itself, but fetches
 * every package already in yarn.lock from the `resolved` URL written there, verbatim
 * (usually https://registry.yarnpkg.com/…): checked with yarn 1.22.22, whose NpmRegistry only
 * joins the registry to relative paths, and whose tarball fetch then went to
 * registry.yarnpkg.com with YARN_REGISTRY set. Offline that request fails.
 *
 * The fix is the one npm applies itself (replace-registry-host): in ProdSprint's copy of the
 * build context, point the public registry's URLs at the relay. The `integrity` lines are kept,
 * so yarn still verifies every tarball; the repository's own yarn.lock is never touched.
 * Verified: `yarn install --frozen-lockfile` with the rewritten lock fetched through the relay.
 */

/** The public npm registry as lockfiles name it. */
const PUBLIC_REGISTRIES = ['https://registry.yarnpkg.com/', 'https://registry.npmjs.org/'];

/** Whether a yarn.lock is yarn 1's format (yarn 2+ locks name no URLs for registry packages). */
export function isYarnV1Lock(text: string): boolean {
  return text.includes('# yarn lockfile v1');
}

/**
 * yarn.lock text with `resolved "https://registry.yarnpkg.com/…"` (or registry.npmjs.org) pointed
 * at `relayUrl` (the relay's npm URL, ending in `/`). Other hosts are left alone. Linear: plain
 * string replacement, no regular expression over repository text.
 */
export function pointYarnLockAtRelay(text: string, relayUrl: string): string {
  const base = relayUrl.endsWith('/') ? relayUrl : `${relayUrl}/`;
  let out = text;
  for (const registry of PUBLIC_REGISTRIES)
    out = out.replaceAll(`resolved "${registry}`, `resolved "${base}`);
  return out;
}
