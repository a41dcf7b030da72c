/**
 * Brings an imported checkout up to date with its source (`projects.sync`): the source is
 * imported afresh into a sibling directory, with the same transports, limits and redaction as a
 * first import, and the new commit is fetched from there into the checkout, whose branch then
 * moves to it. The checkout is kept, not replaced: it holds the blueprint branches apply runs
 * committed and the commits releases were built from, which rollbacks and hotfix branches need.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { importRepository, type ImportRepositoryOptions } from './import-repository.ts';
import type { ImportedRepository } from './import-repository.ts';
import { systemGit } from './system-git.ts';

export interface SyncCheckoutOptions extends Omit<ImportRepositoryOptions, 'destDir'> {
  /** The checkout a first import made. */
  checkoutDir: string;
}

export interface SyncedCheckout extends ImportedRepository {
  previousCommit: string;
  /** False when the source had nothing new. */
  changed: boolean;
}

const SYNC_REF = 'refs/prodsprint/synced';

export async function syncCheckout(options: SyncCheckoutOptions): Promise<SyncedCheckout> {
  const { checkoutDir, ...source } = options;
  const fresh = `${checkoutDir}.sync-${randomBytes(4).toString('hex')}`;
  try {
    const imported = await importRepository({ ...source, destDir: fresh });
    const git = systemGit({ baseDir: checkoutDir, timeoutMs: options.timeoutMs ?? 120_000 });
    const previousCommit = (await git.raw(['rev-parse', 'HEAD'])).trim();
    // Both sides are shallow; --update-shallow lets the checkout take the new shallow boundary.
    await git.raw([
      'fetch',
      '-q',
      '--no-tags',
      '--update-shallow',
      fresh,
      `+refs/heads/${imported.branch}:${SYNC_REF}`,
    ]);
    await git.raw(['symbolic-ref', 'HEAD', `refs/heads/${imported.branch}`]);
    await git.raw(['reset', '-q', '--hard', imported.commit]);
    await git.raw(['update-ref', '-d', SYNC_REF]);
    return {
      ...imported,
      dir: checkoutDir,
      previousCommit,
      changed: previousCommit !== imported.commit,
    };
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
}
