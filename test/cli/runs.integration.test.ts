import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../engine/audit/index.ts';
import { FatalStageError, RunEngine, type RunDefinition } from '../../engine/runs/index.ts';
import { Redactor } from '../../engine/secrets/redact.ts';
import { openStore } from '../../engine/store/database.ts';
import { insertProject } from '../../engine/store/repositories/projects.ts';
import { ensureLocalIdentity } from '../../engine/store/repositories/workspaces.ts';
import { runCli } from '../support/run-cli.ts';

// `prodsprint runs …` against runs made by a real engine in the same data dir: one that ended
// in a dead letter, one still queued. The CLI never starts an engine; what it records is
// picked up by the process that drives runs.
let root: string;
let dataDir: string;
let failedRunId: string;
let queuedRunId: string;

const definitions: RunDefinition[] = [
  {
    kind: 'apply',
    stages: [
      { name: 'render', run: () => ({ files: 2 }) },
      {
        name: 'push',
        needs: ['render'],
        run: () => {
          throw new FatalStageError('registry refused the image: manifest unknown');
        },
      },
    ],
  },
  { kind: 'release', stages: [{ name: 'canary', run: () => ({}) }] },
];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'prodsprint-runs-cli-'));
  dataDir = join(root, 'data');
  const store = openStore(dataDir);
  const redactor = new Redactor();
  const { sink } = openAuditLog({ db: store.db, dataDir, redactor });
  const identity = ensureLocalIdentity(store.db, { email: 'ops@example.test', displayName: 'Ops' });
  const project = insertProject(store.db, {
    workspaceId: identity.workspace.id,
    name: 'shop',
    repoUrl: '/srv/shop',
  });
  const driver = new RunEngine({ db: store.db, definitions, audit: sink, redactor, resyncMs: 0 });
  driver.start();
  failedRunId = driver.submit({
    projectId: project.id,
    kind: 'apply',
    actor: { user: identity.userId },
  }).runId;
  await driver.whenIdle();
  await driver.stop();
  queuedRunId = new RunEngine({ db: store.db, definitions, audit: sink, redactor }).submit({
    projectId: project.id,
    kind: 'release',
    actor: { user: identity.userId },
  }).runId;
  store.close();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);

describe('prodsprint runs', () => {
  it('lists runs newest first, filterable by status', async () => {
    const all = JSON.parse((await cli('runs', 'list', '--json')).stdout).runs;
    expect(all.map((run: { runId: string }) => run.runId)).toEqual([queuedRunId, failedRunId]);
    const failed = JSON.parse(
      (await cli('runs', 'list', '--status', 'error', '--json')).stdout,
    ).runs;
    expect(failed.map((run: { runId: string }) => run.runId)).toEqual([failedRunId]);
  });

  it('shows a failed run with the stage and reason, and exits 1', async () => {
    const result = await cli('runs', 'show', failedRunId);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /error +.*\(push: registry refused the image: manifest unknown\)/,
    );
    expect(result.stdout).toMatch(/render +done/);
  });

  it('prints the events of a run after a cursor', async () => {
    const all = JSON.parse((await cli('runs', 'events', failedRunId, '--json')).stdout);
    expect(all.events.length).toBeGreaterThan(2);
    const later = JSON.parse(
      (await cli('runs', 'events', failedRunId, '--after', String(all.events[1].seq), '--json'))
        .stdout,
    );
    expect(later.events[0].seq).toBe(all.events[2].seq);
  });

  it('lists the dead letter and replays it', async () => {
    const letters = JSON.parse((await cli('runs', 'dlq', '--json')).stdout).deadLetters;
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      runId: failedRunId,
      stage: 'push',
      error: expect.stringMatching(/manifest unknown/),
    });
    const replayed = await cli('runs', 'dlq', 'replay', letters[0].id, '--json');
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(JSON.parse(replayed.stdout)).toMatchObject({ runId: failedRunId, status: 'pending' });
    expect(JSON.parse((await cli('runs', 'dlq', '--json')).stdout).deadLetters).toEqual([]);
  });

  it('cancels a queued run', async () => {
    const result = await cli('runs', 'cancel', queuedRunId, '--reason', 'freeze window', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ runId: queuedRunId, status: 'cancelled' });
  });

  it('answers an unknown run with not-found (exit 1) and keeps the audit chain valid', async () => {
    const missing = await cli('runs', 'show', 'run_nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/run run_nope does not exist/);
    expect((await cli('audit', 'verify')).code).toBe(0);
  });
});
