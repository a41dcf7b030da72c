/**
 * Pipelines trigger on the repository's default branch (issue 15), not on a hard-coded `main`: a
 * real Git repository whose default branch is `master`, imported the way `prodsprint import` does
 * (engine/git), audited and planned with the checkout as the plan's reader, which is how the
 * engine plans a project.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { planBlueprint } from '../../engine/agents/blueprint/plan.ts';
import { auditRepository } from '../../engine/agents/repo-auditor/audit.ts';
import { importRepository } from '../../engine/git/import-repository.ts';
import { buildRepo } from '../fixtures/repos/build-repo.ts';
import { zCiMasterBranch } from '../fixtures/repos/ci-patterns.ts';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('CI triggers on the default branch', () => {
  it('given a repository whose default branch is master, when imported and planned, then pipelines trigger on master', async () => {
    const root = await mkdtemp(join(tmpdir(), 'prodsprint-ci-branch-'));
    dirs.push(root);
    const source = join(root, 'source');
    buildRepo(source, zCiMasterBranch.tree, { branch: zCiMasterBranch.branch });
    const imported = await importRepository({ source, destDir: join(root, 'checkout') });
    expect(imported.branch).toBe('master');
    const fingerprint = await auditRepository(imported.dir);
    const plan = await planBlueprint(
      fingerprint,
      { target: 'kubernetes' },
      {
        readCurrentFile: (path) => readFile(join(imported.dir, path), 'utf8').catch(() => null),
      },
    );
    const artifact = plan.artifacts.find((a) =>
      a.path.startsWith('.github/workflows/prodsprint-'),
    )!;
    const content = artifact.content;
    const doc = parse(content) as {
      on: { push: { branches: string[] }; pull_request: { branches: string[] } };
      jobs: Record<string, { if?: string }>;
    };
    expect(doc.on.push.branches).toEqual(['master']);
    expect(doc.on.pull_request.branches).toEqual(['master']);
    expect(doc.jobs['deploy-prod']?.if).toContain("github.ref == 'refs/heads/master'");
    expect(content).not.toMatch(/\bmain\b/);
    expect(plan.summary.notes.join('\n')).not.toContain('default branch is not known');
  });
});
