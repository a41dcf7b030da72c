/**
 * The infrastructure delta a plan shows is counted against the project's last APPROVED blueprint,
 * or against nothing (issue 15): a draft changed nothing, so planning again without approving
 * must show the same "N to add" (and the same bytes and hash), not "0 to add" against the draft.
 * Through the engine's contract on a real SQLite data dir and a real Git repository; terraform is
 * pointed at a path that does not exist, so the plan says validation did not run and why.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../engine/api/index.ts';
import { buildRepo } from '../fixtures/repos/build-repo.ts';
import { nodeExpress } from '../fixtures/repos/node-stacks.ts';

let root: string;
let engine: Engine;
let projectId: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'prodsprint-replan-'));
  buildRepo(join(root, 'orders'), nodeExpress);
  engine = createEngine({
    dataDir: join(root, 'data'),
    env: { ...process.env, PRODSPRINT_TERRAFORM: join(root, 'no-terraform-here') },
  });
  projectId = (await engine.invoke('projects.import', { source: join(root, 'orders') })).projectId;
});
afterAll(() => {
  engine?.close();
  rmSync(root, { recursive: true, force: true });
});

const inputs = {
  target: 'kubernetes' as const,
  environments: ['staging' as const, 'prod' as const],
};
const withDb = { ...inputs, db: { engine: 'postgres' as const, version: '16' } };

interface Infra {
  add: string[];
  change: string[];
  destroy: string[];
  baseline: string;
}
const infraOf = (plan: { summary: unknown }) => (plan.summary as { infra: Infra }).infra;

describe('re-planning without approving', () => {
  it('given an unapproved plan, when planning again, then the delta is still against nothing and the plan is byte-identical', async () => {
    const first = await engine.invoke('blueprints.generate', { projectId, inputs });
    const second = await engine.invoke('blueprints.generate', { projectId, inputs });
    expect(infraOf(first).add.length).toBeGreaterThan(0);
    expect(infraOf(second)).toMatchObject({
      add: infraOf(first).add,
      change: [],
      destroy: [],
      baseline: 'nothing: no blueprint of this project is approved yet',
    });
    expect(second.version).toBe(first.version + 1);
    expect(second.planHash).toBe(first.planHash);
    expect(second.artifacts).toEqual(first.artifacts);
    const { terraform } = second.summary as unknown as {
      terraform: { status: string; warnings: Array<{ id: string; remedy: string }> };
    };
    expect(terraform.status).toBe('not-run');
    expect(terraform.warnings[0]).toMatchObject({
      id: 'terraform-missing',
      remedy: expect.stringMatching(/PRODSPRINT_TERRAFORM/),
    });
  });

  it('given an approved plan, when planning a change twice without approving, then both deltas are against the approved one', async () => {
    const approved = await engine.invoke('blueprints.generate', { projectId, inputs });
    await engine.invoke('blueprints.approve', {
      blueprintId: approved.blueprintId,
      planHash: approved.planHash,
      selfApproval: true,
    });
    const change = await engine.invoke('blueprints.generate', { projectId, inputs: withDb });
    const again = await engine.invoke('blueprints.generate', { projectId, inputs: withDb });
    const expected = {
      add: ['prod:helm_release.db_postgres', 'staging:helm_release.db_postgres'],
      change: [],
      destroy: [],
      baseline: `the last approved blueprint (${approved.blueprintId}, version ${approved.version})`,
    };
    expect(infraOf(change)).toMatchObject(expected);
    expect(infraOf(again)).toMatchObject(expected);
    expect(again.planHash).toBe(change.planHash);
    // Back to the approved choices: nothing to do.
    const same = await engine.invoke('blueprints.generate', { projectId, inputs });
    expect(infraOf(same)).toMatchObject({ add: [], change: [], destroy: [] });
  });
});
