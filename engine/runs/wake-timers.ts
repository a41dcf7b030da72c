import type { Clock, TimerHandle } from './clock.ts';

/**
 * One timer per key (a run id, or the engine's admission pass), at the earliest time it needs
 * another pass: a retry becoming due, a failed pass tried again. Waiting is re-scheduling:
 * nothing sleeps.
 */
export class WakeTimers {
  private readonly clock: Clock;
  private readonly wake: (runId: string) => void;
  private readonly timers = new Map<string, { atMs: number; handle: TimerHandle }>();

  constructor(clock: Clock, wake: (runId: string) => void) {
    this.clock = clock;
    this.wake = wake;
  }

  /** Wakes `runId` at `atMs`, unless it is already due to wake earlier. */
  wakeAt(runId: string, atMs: number): void {
    const existing = this.timers.get(runId);
    if (existing && existing.atMs <= atMs) return;
    if (existing) this.clock.clearTimer(existing.handle);
    const handle = this.clock.setTimer(atMs - this.clock.now(), () => {
      this.timers.delete(runId);
      this.wake(runId);
    });
    this.timers.set(runId, { atMs, handle });
  }

  clear(runId: string): void {
    const existing = this.timers.get(runId);
    if (existing) this.clock.clearTimer(existing.handle);
    this.timers.delete(runId);
  }

  clearAll(): void {
    for (const runId of [...this.timers.keys()]) this.clear(runId);
  }
}
