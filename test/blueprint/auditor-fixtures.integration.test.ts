/**
 * End to end from the real auditor: each fixture repository the auditor is tested on is written
 * to disk, audited, and planned for kubernetes and docker, reading the repository's own files for
 * the diffs. The plan must validate like the golden cases do, and respect what the repository
 * already has (its Dockerfile is never replaced).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { planBlueprint } from '../../engine/agents/blueprint/plan.ts';
import { auditRepository } from '../../engine/agents/repo-auditor/audit.ts';
import { writeTree, type FixtureTree } from '../fixtures/repos/build-repo.ts';
import { goGin } from '../fixtures/repos/go-stacks.ts';
import { springMaven } from '../fixtures/repos/jvm-stacks.ts';
import { nodeExpress } from '../fixtures/repos/node-stacks.ts';
import { pyFastapi } from '../fixtures/repos/python-stacks.ts';
import { workflowErrors } from '../../engine/agents/blueprint/self-check/workflow-parser.ts';

const FIXTURES: Record<string, FixtureTree> = { nodeExpress, pyFastapi, goGin, springMaven };
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('blueprints from real auditor fingerprints', () => {
  it.each(
    Object.keys(FIXTURES).flatMap((name) => [
      [name, 'kubernetes'],
      [name, 'docker'],
    ]),
  )('%s on %s', async (name, target) => {
    const dir = await mkdtemp(join(tmpdir(), 'prodsprint-bp-audit-'));
    dirs.push(dir);
    writeTree(dir, FIXTURES[name]!);
    const fingerprint = await auditRepository(dir);
    expect(fingerprint.services.length).toBeGreaterThan(0);
    const readCurrentFile = (path: string) => readFile(join(dir, path), 'utf8').catch(() => null);
    const plan = await planBlueprint(
      fingerprint,
      { target, dnsDomain: 'app.example.com' },
      { readCurrentFile },
    );

    for (const service of fingerprint.services.filter((s) => s.dockerfile)) {
      expect(plan.artifacts.map((a) => a.path)).not.toContain(service.dockerfile!.value.path);
    }
    for (const a of plan.artifacts) {
      if (a.path.startsWith('.github/workflows/'))
        expect(workflowErrors(a.path, a.content), a.path).toEqual([]);
      if (/\.ya?ml$/.test(a.path) && !a.path.includes('/templates/'))
        expect(() => parse(a.content), a.path).not.toThrow();
      if (a.change === 'changed') expect(a.diff, a.path).toMatch(/^--- a\//m);
    }
    expect(plan.planHash).toMatch(/^[0-9a-f]{64}$/);
  });
});
