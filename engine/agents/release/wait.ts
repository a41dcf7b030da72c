/**
 * The rollout's waits. A wait ends at a persisted due time (after a crash the re-entered stage
 * computes the remainder from it, so a wait neither restarts nor grows), or earlier when the
 * release changed: a manual control (controls.ts) or rollback is written to SQLite, possibly by
 * another process (the CLI), so the wait re-reads the release's revision once a second rather
 * than relying on an in-process callback. One indexed read a second per waiting release.
 */
import { StageAbortedError, type Clock } from '../../runs/index.ts';

/** How often a waiting rollout looks for a control: the "within about a second" promise. */
export const CONTROL_POLL_MS = 1000;

export function waitUntil(clock: Clock, atMs: number, signal: AbortSignal): Promise<void> {
  return waitForChange(clock, atMs, signal, () => false, Infinity);
}

/**
 * Resolves at `atMs` (Infinity: only on a change) or as soon as `changed()` is true, checked
 * every CONTROL_POLL_MS; rejects when the stage is aborted.
 */
export function waitForChange(
  clock: Clock,
  atMs: number,
  signal: AbortSignal,
  changed: () => boolean,
  pollMs = CONTROL_POLL_MS,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new StageAbortedError('release wait aborted'));
    let handle: ReturnType<Clock['setTimer']> | undefined;
    const onAbort = () => {
      if (handle) clock.clearTimer(handle);
      reject(new StageAbortedError('release wait aborted'));
    };
    const finish = () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    };
    const arm = () => {
      const remaining = atMs - clock.now();
      if (remaining <= 0) return finish();
      handle = clock.setTimer(Math.min(remaining, pollMs), () => {
        handle = undefined;
        let moved: boolean;
        try {
          moved = changed();
        } catch {
          // A failed read is not a change: the due time still ends the wait.
          moved = false;
        }
        if (moved) finish();
        else arm();
      });
    };
    signal.addEventListener('abort', onAbort, { once: true });
    arm();
  });
}
