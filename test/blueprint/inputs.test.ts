/**
 * Bad wizard choices come back as the engine's validation Problem naming the field under
 * `input.inputs` (issue 7): unknown target, invalid domain, negative ceiling, unknown policy
 * pack, and a region the price catalog does not know.
 */
import { describe, expect, it } from 'vitest';
import { ProblemError } from '../../engine/contract/problem.ts';
import { planBlueprint } from '../../engine/agents/blueprint/plan.ts';
import { STACKS } from './fingerprints.ts';
import { noRepository } from './cases.ts';

async function problemOf(inputs: Record<string, unknown>) {
  try {
    await planBlueprint(STACKS.nodeExpress, inputs, { readCurrentFile: noRepository });
  } catch (error) {
    if (error instanceof ProblemError) return error.problem;
    throw error;
  }
  throw new Error('planBlueprint accepted the inputs');
}

describe('blueprint input validation', () => {
  it.each([
    ['unknown target', { target: 'heroku' }, 'input.inputs.target'],
    ['invalid domain', { target: 'docker', dnsDomain: 'not a domain' }, 'input.inputs.dnsDomain'],
    [
      'negative ceiling',
      { target: 'docker', costCeilingMonthly: -5 },
      'input.inputs.costCeilingMonthly',
    ],
    [
      'unknown policy pack',
      { target: 'docker', policies: { packs: ['baseline', 'pci'] } },
      'input.inputs.policies.packs.1',
    ],
    ['unknown region', { target: 'ecs', region: 'mars-1' }, 'input.inputs.region'],
    [
      'plain-http mirror',
      { target: 'docker', mirror: { packages: 'http://mirror.internal' } },
      'input.inputs.mirror.packages',
    ],
  ])('%s is a validation Problem naming the field', async (_what, inputs, field) => {
    const problem = await problemOf(inputs);
    expect(problem.type).toBe('https://prodsprint.dev/problems/validation-failed');
    expect(problem.status).toBe(400);
    expect(problem.errors?.map((e) => e.field)).toEqual([field]);
    expect(problem.detail).toContain(field);
  });

  it('names every bad field at once', async () => {
    const problem = await problemOf({
      target: 'nope',
      dnsDomain: '-bad-',
      costCeilingMonthly: -1,
      policies: { packs: ['x'] },
    });
    expect(problem.errors?.map((e) => e.field).sort()).toEqual([
      'input.inputs.costCeilingMonthly',
      'input.inputs.dnsDomain',
      'input.inputs.policies.packs.0',
      'input.inputs.target',
    ]);
  });

  it('accepts the least a user can give and fills the defaults', async () => {
    const plan = await planBlueprint(
      STACKS.nodeExpress,
      { target: 'docker' },
      { readCurrentFile: noRepository },
    );
    expect(plan.inputs).toMatchObject({
      environments: ['staging', 'prod'],
      strategy: 'canary',
      tls: true,
    });
    expect(plan.summary.region).toBe('on-prem');
  });
});
