/**
 * How a rollout waits (issue 16): a wait is a re-schedule of the rollout stage
 * (`ctx.requeueAt`), not a sleep, so a 30-minute canary holds no worker. The stage looks again
 * at the window's end or after CONTROL_POLL_MS, whichever is first: a control or rollback is
 * written to SQLite, possibly by another process (the CLI), so the rollout re-reads the release
 * rather than relying on an in-process callback. One short pass a second per waiting release.
 */

/** How often a waiting rollout looks for a control: the "within about a second" promise. */
export const CONTROL_POLL_MS = 1000;
