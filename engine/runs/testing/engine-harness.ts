import { Redactor } from '../../secrets/redact.ts';
import { RunEngine } from '../run-engine.ts';
import type { RunEngineOptions } from '../run-engine-options.ts';
import type { RunEvent } from '../run-records.ts';
import type { RunDefinition } from '../stage-definition.ts';
import { ManualClock } from './manual-clock.ts';
import { RecordingAuditSink } from './recording-audit-sink.ts';
import { openTestStore, type TestStore } from './test-store.ts';

export interface Harness {
  engine: RunEngine;
  clock: ManualClock;
  audit: RecordingAuditSink;
  redactor: Redactor;
  test: TestStore;
  events: RunEvent[];
  errors: unknown[];
  /** Runs the engine until nothing is due now. */
  settle(): Promise<void>;
  /** Advances the clock to the next timer (a retry) and settles; false when no timer is pending. */
  nextTimer(): Promise<boolean>;
  /** A new engine on the same database, as after a restart of the process. */
  restart(definitions?: readonly RunDefinition[]): Promise<void>;
  dispose(): Promise<void>;
}

export type HarnessOptions = Partial<
  Omit<RunEngineOptions, 'db' | 'definitions' | 'audit' | 'redactor' | 'clock'>
>;

/**
 * An engine on a temp database with a manual clock, a recording audit sink, fixed jitter (0.5)
 * and no periodic resync (so the only timers are the ones a test is about).
 */
export function engineHarness(
  definitions: readonly RunDefinition[],
  options: HarnessOptions = {},
): Harness {
  const test = openTestStore();
  const clock = new ManualClock();
  const audit = new RecordingAuditSink();
  const redactor = new Redactor();
  const events: RunEvent[] = [];
  const errors: unknown[] = [];
  const make = (defs: readonly RunDefinition[]) => {
    const engine = new RunEngine({
      random: () => 0.5,
      resyncMs: 0,
      onError: (error) => errors.push(error),
      ...options,
      db: test.store.db,
      definitions: defs,
      audit,
      redactor,
      clock,
    });
    engine.events.subscribeAll((event) => events.push(event));
    engine.start();
    return engine;
  };
  const harness: Harness = {
    engine: make(definitions),
    clock,
    audit,
    redactor,
    test,
    events,
    errors,
    settle: async () => {
      // A stage body may await timers of its own; let them run between passes.
      for (let round = 0; round < 3; round++) {
        await harness.engine.whenIdle();
        await new Promise((resolve) => setImmediate(resolve));
      }
      await harness.engine.whenIdle();
    },
    nextTimer: async () => {
      const at = clock.nextTimerAt();
      if (at === null) return false;
      clock.advance(at - clock.now());
      await harness.settle();
      return true;
    },
    restart: async (defs = definitions) => {
      await harness.engine.stop();
      harness.engine = make(defs);
    },
    dispose: async () => {
      await harness.engine.stop();
      test.dispose();
    },
  };
  return harness;
}
