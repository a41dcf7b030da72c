import { sharedLockPath, withFileLock } from '../../system/file-lock.ts';

/** A base image build can take minutes: a waiter takes over only a lock held this long. */
const BUILD_LOCK_STALE_MS = 5 * 60_000;

/** One build of an image at a time across processes; the others wait, then find it built. */
export function withBuildLock<T>(name: string, body: () => Promise<T>): Promise<T> {
  return withFileLock(sharedLockPath(name), body, { staleAfterMs: BUILD_LOCK_STALE_MS });
}
