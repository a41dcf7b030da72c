import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runChild, SPRINT_CHILD_ENTRY } from './child-process.ts';
import { readLines } from './ledger.ts';

/**
 * Issue 16 acceptance: a real engine process driving a sprint is SIGKILLed during the canary
 * (while the sprint waits on it, right after a traffic split, while the rollout waits for its
 * analysis window), started again each time, and the release still finishes exactly once:
 * every traffic split applied once, promoted once, the sprint done with its summary.
 */
const KILL_POINTS = [
  'event:release:waiting#1', // the sprint waits on its release (no worker held)
  'event:rollout:progress#2', // second split (50%) applied and recorded
  'event:rollout:waiting#2', // the rollout waits for the 50% window
  'event:evidence:running#1', // the release is over, the sprint records its evidence
];

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

describe('a sprint killed during its canary', () => {
  it('finishes the release exactly once after each restart', async () => {
    const work = mkdtempSync(join(tmpdir(), 'prodsprint-sprint-crash-'));
    dirs.push(work);
    const markers = join(work, 'markers');
    mkdirSync(markers);
    const env = {
      FI_DATA_DIR: join(work, 'data'),
      FI_LEDGER: join(work, 'ledger'),
      FI_MARKERS: markers,
      FI_KILL_POINTS: KILL_POINTS.join(','),
    };
    const exits: Array<string | null> = [];
    let last = '';
    for (let start = 0; start <= KILL_POINTS.length; start++) {
      const exit = await runChild(env, undefined, SPRINT_CHILD_ENTRY);
      exits.push(exit.signal);
      last = exit.stdout;
      if (exit.signal === null) {
        expect(exit.code, exit.stderr).toBe(0);
        break;
      }
    }
    // Killed once at every point, then a clean finish.
    expect(exits).toEqual([...KILL_POINTS.map(() => 'SIGKILL'), null]);
    const sprint = JSON.parse(last) as {
      status: string;
      outputs: { evidence: { outcome: string; rollout: { decisions: Array<{ action: string }> } } };
    };
    expect(sprint.status).toBe('done');
    expect(sprint.outputs.evidence.outcome).toBe('promoted');
    expect(sprint.outputs.evidence.rollout.decisions.map((d) => d.action)).toEqual([
      'next',
      'next',
      'promote',
    ]);
    expect(readLines(env.FI_LEDGER)).toEqual([
      'traffic {"v2":10,"v1":90}',
      'traffic {"v2":50,"v1":50}',
      'traffic {"v2":100,"v1":0}',
    ]);
  }, 120_000);
});
