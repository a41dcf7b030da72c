import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunInfo } from '../../engine/runs/index.ts';
import { runChild } from './child-process.ts';
import { readLines } from './ledger.ts';
import { LEDGER_EFFECTS, PUSH_FAILING_ATTEMPTS } from './ledger-pipeline.ts';

/**
 * Acceptance of issue 3: a real engine process is SIGKILLed at every point below, restarted
 * each time, and must still finish the run with every effect applied exactly once.
 */
const KILL_POINTS = [
  'event:run:pending#1', // submitted, not yet admitted
  'event:run:running#1', // admitted, no stage started
  'event:fetch:running#1', // stage committed as running, body not yet run
  'stage:fetch:before-effect:clone',
  'effect:clone:before', // key recorded, effect not applied
  'effect:clone:after', // effect applied, key not completed
  'stage:fetch:after-effect:clone', // key completed, stage not done
  'event:fetch:done#1', // between stages
  'stage:build:before-effect:compile',
  'effect:compile:after',
  'stage:build:after-effect:compile', // between two effects of one stage
  'effect:package:before',
  'stage:build:after-effect:package',
  'event:build:done#1',
  'stage:push:failing:1', // inside a failing attempt
  'event:push:retrying#1', // waiting for the backoff timer
  'event:push:running#2', // the retry has started
  'event:push:retrying#2',
  'stage:push:before-effect:upload',
  'effect:upload:after',
  'event:push:done#1',
  'effect:scan:before', // inside one of two parallel stages
  'stage:test:after-effect:test',
  'event:scan:done#1',
  'event:test:done#1',
  'effect:tag:after',
  'stage:release:after-effect:tag',
  'event:release:done#1', // last stage done, run not yet finished
];

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

function scenario(killPoints: readonly string[], stageDelayMs = 0) {
  const root = mkdtempSync(join(tmpdir(), 'prodsprint-fi-'));
  dirs.push(root);
  const markers = join(root, 'markers');
  mkdirSync(markers);
  const env = {
    FI_DATA_DIR: join(root, 'data'),
    FI_LEDGER: join(root, 'ledger.tsv'),
    FI_INVOCATIONS: join(root, 'invocations.tsv'),
    FI_MARKERS: markers,
    FI_KILL_POINTS: killPoints.join(','),
    FI_STAGE_DELAY_MS: String(stageDelayMs),
  };
  return {
    env,
    firedPoints: () => readdirSync(markers).map(decodeURIComponent),
    ledger: () => readLines(env.FI_LEDGER).map((line) => line.split('\t')),
    invocations: () => readLines(env.FI_INVOCATIONS).map((line) => line.split('\t')[0]!),
  };
}

function count<T>(items: readonly T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

describe('crash-resume under SIGKILL (real child process)', () => {
  it(`given SIGKILL at ${KILL_POINTS.length} distinct points and a restart after each, then the run completes and every effect happened exactly once`, async () => {
    const fi = scenario(KILL_POINTS);
    const exits: Array<string | number | null> = [];
    let final: RunInfo | undefined;
    for (let start = 0; start <= KILL_POINTS.length + 1 && !final; start++) {
      const exit = await runChild(fi.env);
      exits.push(exit.signal ?? exit.code);
      if (exit.signal === null) {
        expect(exit.code, exit.stderr).toBe(0);
        final = JSON.parse(exit.stdout) as RunInfo;
      }
    }

    expect(exits.filter((exit) => exit === 'SIGKILL')).toHaveLength(KILL_POINTS.length);
    expect(fi.firedPoints().sort()).toEqual([...KILL_POINTS].sort());
    expect(final?.status).toBe('done');
    expect(final?.stages.map((stage) => [stage.name, stage.status, stage.attempt])).toEqual([
      ['fetch', 'done', 1],
      ['build', 'done', 1],
      ['push', 'done', PUSH_FAILING_ATTEMPTS + 1],
      ['scan', 'done', 1],
      ['test', 'done', 1],
      ['release', 'done', 1],
    ]);

    const ledger = fi.ledger();
    expect(ledger.map(([, effect]) => effect).sort()).toEqual([...LEDGER_EFFECTS].sort());
    expect(new Set(ledger.map(([token]) => token)).size).toBe(LEDGER_EFFECTS.length);

    // A completed key is never run again: only a kill inside the effect (after its key was
    // recorded, before its completion was) makes the engine call it again, with the same key.
    const invoked = count(fi.invocations());
    for (const effect of LEDGER_EFFECTS) {
      const killsInside = KILL_POINTS.filter(
        (point) => point === `effect:${effect}:before` || point === `effect:${effect}:after`,
      ).length;
      expect({ effect, calls: invoked.get(effect) }).toEqual({ effect, calls: 1 + killsInside });
    }
  });

  it('given SIGKILL from outside at random moments, then after each restart the run still completes with every effect applied once', async () => {
    const fi = scenario([], 25);
    let final: RunInfo | undefined;
    let kills = 0;
    const random = seeded(20261125);
    for (let start = 0; start < 40 && !final; start++) {
      // The whole run takes about 300 ms and a kill at most 90 ms after start-up: the first three
      // kills land inside the run; later ones may find it finished, which ends the loop.
      const exit = await runChild(fi.env, start < 10 ? 10 + Math.floor(random() * 80) : undefined);
      if (exit.signal === 'SIGKILL') kills++;
      else {
        expect(exit.code, exit.stderr).toBe(0);
        final = JSON.parse(exit.stdout) as RunInfo;
      }
    }
    expect(kills).toBeGreaterThanOrEqual(3);
    expect(final?.status).toBe('done');
    const effects = fi.ledger().map(([, effect]) => effect);
    expect(effects.sort()).toEqual([...LEDGER_EFFECTS].sort());
  });
});

/** mulberry32: the kill times are random but the same on every run of the test. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
