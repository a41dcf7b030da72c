import { describe, expect, it } from 'vitest';
import { BlueprintInputs } from '../../contract/blueprints.contract.ts';
import type { PlanSummary } from './plan-model.ts';
import { diffArtifact, infraSummary, planHash, sha256 } from './preview.ts';

const read = (files: Record<string, string>) => async (path: string) => files[path] ?? null;

describe('diffArtifact', () => {
  it('classifies new, changed and unchanged files with a unified diff', async () => {
    const artifact = { path: 'a.txt', content: 'one\ntwo\n' };
    const created = await diffArtifact(artifact, read({}));
    expect(created.change).toBe('new');
    expect(created.diff).toContain('--- /dev/null');
    expect(created.diff).toContain('+one');
    const changed = await diffArtifact(artifact, read({ 'a.txt': 'one\n' }));
    expect(changed.change).toBe('changed');
    expect(changed.diff).toContain('--- a/a.txt');
    expect(changed.diff).toContain('+two');
    const same = await diffArtifact(artifact, read({ 'a.txt': 'one\ntwo\n' }));
    expect(same).toMatchObject({ change: 'unchanged', diff: '', sha256: sha256('one\ntwo\n') });
  });
});

describe('infraSummary', () => {
  it('computes add, change and destroy against the previous resources', () => {
    const r = (address: string, digest: string) => ({ environment: 'prod', address, digest });
    const summary = infraSummary(
      [r('a.x', '1'), r('b.y', '2'), r('c.z', '3')],
      [r('a.x', '1'), r('b.y', 'old'), r('d.w', '4')],
    );
    expect(summary).toMatchObject({
      add: ['prod:c.z'],
      change: ['prod:b.y'],
      destroy: ['prod:d.w'],
      unchanged: 1,
    });
  });
});

describe('planHash', () => {
  const summary = { target: 'docker' } as unknown as PlanSummary;
  const artifact = (content: string) => ({
    path: 'a',
    content,
    sha256: sha256(content),
    change: 'new' as const,
    diff: 'x',
  });

  const inputs = BlueprintInputs.parse({ target: 'docker' });

  it('covers inputs, artifact contents and the summary, not the diffs', () => {
    const base = planHash(inputs, [artifact('1')], summary);
    expect(
      planHash(inputs, [{ ...artifact('1'), diff: 'other', change: 'changed' }], summary),
    ).toBe(base);
    expect(planHash(inputs, [artifact('2')], summary)).not.toBe(base);
    expect(planHash(inputs, [artifact('1')], { target: 'ecs' } as unknown as PlanSummary)).not.toBe(
      base,
    );
    expect(planHash({ ...inputs, approvals: ['bob'] }, [artifact('1')], summary)).not.toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });
});
