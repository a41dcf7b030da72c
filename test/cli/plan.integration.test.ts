import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../engine/api/index.ts';
import { buildRepo } from '../fixtures/repos/build-repo.ts';
import { nodeExpress } from '../fixtures/repos/node-stacks.ts';
import { runCli } from '../support/run-cli.ts';

// `prodsprint plan` after an import: a blueprint recorded with its artifacts' digests, the
// artifacts written where asked, the same choices giving the same plan hash, and the plan
// signed into the audit chain.
let root: string;
let dataDir: string;
let projectId: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'prodsprint-plan-cli-'));
  dataDir = join(root, 'data');
  buildRepo(join(root, 'orders'), nodeExpress);
  projectId = JSON.parse(
    (await runCli(['--data-dir', dataDir, 'import', join(root, 'orders'), '--json'])).stdout,
  ).projectId;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);
const planArgs = [
  '--target',
  'docker',
  '--domain',
  'orders.example.com',
  '--cost-ceiling',
  '500',
  '--approver',
  'alice',
];

describe('prodsprint plan', () => {
  let first: {
    blueprintId: string;
    planHash: string;
    version: number;
    artifacts: Array<{ path: string; sha256: string; change: string }>;
    summary: { infra: { add: string[]; change: string[]; destroy: string[] } };
  };

  it('records a blueprint with every artifact, its digest and its change against the repository', async () => {
    const out = join(root, 'out');
    const result = await cli('plan', projectId, ...planArgs, '--out', out, '--json');
    expect(result.code, result.stderr).toBe(0);
    first = JSON.parse(result.stdout);
    expect(first).toMatchObject({ version: 1, planHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const paths = first.artifacts.map((artifact) => artifact.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\.github\/workflows\//),
        expect.stringMatching(/^infra\//),
        expect.stringMatching(/^docs\//),
      ]),
    );
    // The repository already has a Dockerfile, so the plan proposes none.
    expect(paths).not.toContain('Dockerfile');
    for (const artifact of first.artifacts) {
      const written = readFileSync(join(out, artifact.path));
      expect(createHash('sha256').update(written).digest('hex'), artifact.path).toBe(
        artifact.sha256,
      );
    }
    const summary = JSON.parse(result.stdout).summary;
    expect(summary.cost).toMatchObject({
      catalogDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      withinCeiling: true,
    });
    expect(summary.notes.join('\n')).toMatch(/unverified placeholders/);
  });

  it('renders byte-identical artifacts and the same hash for the same choices when nothing was approved in between', async () => {
    const second = JSON.parse((await cli('plan', projectId, ...planArgs, '--json')).stdout);
    expect(second.version).toBe(2);
    // A draft changes nothing: the delta is still against nothing (issue 15), so the plan is the
    // same bytes, the same "N to add" and the same hash (terraform-replan covers approval).
    expect(second.artifacts).toEqual(first.artifacts);
    expect(second.summary.infra).toEqual(first.summary.infra);
    expect(second.summary.infra.add.length).toBeGreaterThan(0);
    expect(second.planHash).toBe(first.planHash);
  });

  it('a different choice changes the hash and the files', async () => {
    const prodOnly = JSON.parse(
      (await cli('plan', projectId, ...planArgs, '--env', 'prod', '--json')).stdout,
    );
    expect(prodOnly.planHash).not.toBe(first.planHash);
    const paths = (plan: typeof first) => plan.artifacts.map((a: { path: string }) => a.path);
    expect(paths(first).some((p: string) => p.startsWith('infra/staging/'))).toBe(true);
    expect(paths(prodOnly).some((p: string) => p.startsWith('infra/staging/'))).toBe(false);
  });

  it('answers blueprints.get from what was recorded', async () => {
    const engine = createEngine({ dataDir });
    const stored = await engine.invoke('blueprints.get', { blueprintId: first.blueprintId });
    engine.close();
    expect(stored).toMatchObject({
      blueprintId: first.blueprintId,
      projectId,
      version: 1,
      status: 'draft',
      planHash: first.planHash,
    });
    expect(stored.artifacts.map((artifact) => artifact.sha256)).toEqual(
      first.artifacts.map((artifact) => artifact.sha256),
    );
  });

  it('signs each plan into the audit chain', async () => {
    const bundle = join(root, 'audit.tar.gz');
    const exported = JSON.parse(
      (await cli('audit', 'export', '-o', bundle, '--project', projectId, '--json')).stdout,
    );
    // project.imported + four blueprint.generated
    expect(exported.entries).toBeGreaterThanOrEqual(5);
    expect((await cli('audit', 'verify', bundle)).code).toBe(0);
  });

  it('names each bad choice by the flag that was typed (exit 2)', async () => {
    const result = await cli(
      'plan',
      projectId,
      '--target',
      'mainframe',
      '--domain',
      'not a domain',
      '--cost-ceiling',
      '-1',
      '--packs',
      'baseline,pci',
    );
    expect(result.code).toBe(2);
    for (const flag of ['--target', '--domain', '--cost-ceiling', '--packs'])
      expect(result.stderr).toContain(`${flag}:`);
  });

  it('refuses an unknown project (exit 1)', async () => {
    const result = await cli('plan', 'prj_nope', '--target', 'docker');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no project prj_nope/);
  });
});
