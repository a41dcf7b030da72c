/**
 * One re-scheduled wait: a single timer to a persisted due time, cancelled with the stage. After
 * a crash the re-entered stage computes the remainder from the persisted time, so a wait neither
 * restarts nor sleeps in a loop (STYLE.md, Argo's requeue-after).
 */
import { StageAbortedError, type Clock } from '../../runs/index.ts';

export function waitUntil(clock: Clock, atMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new StageAbortedError('release wait aborted'));
    const onAbort = () => {
      clock.clearTimer(handle);
      reject(new StageAbortedError('release wait aborted'));
    };
    const handle = clock.setTimer(atMs - clock.now(), () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
