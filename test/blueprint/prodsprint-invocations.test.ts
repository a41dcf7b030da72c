/**
 * Every `prodsprint` command a generated pipeline or runbook runs parses against the CLI's own
 * command definitions (issue 15: pipelines called `release create --target … --service …` and
 * `policy eval --packs …`, which exit 2). Walks every artifact of every golden case (the audited
 * fixture stacks) and of the hand-made cases.
 */
import { describe, expect, it } from 'vitest';
import { AUDITED_CASES, auditedPlanFor } from './audited-cases.ts';
import { CASES, planFor } from './cases.ts';
import { cliRejects, prodsprintInvocations, shellWords } from './cli-invocations.ts';

const plans = [
  ...(await Promise.all(
    AUDITED_CASES.map(async (c) => ({ name: c.name, plan: await auditedPlanFor(c.name) })),
  )),
  ...(await Promise.all(CASES.map(async (c) => ({ name: c.name, plan: await planFor(c.name) })))),
];

describe('prodsprint invocations in generated artifacts', () => {
  it('given a command the CLI does not have, when checked, then it is refused (the check is real)', () => {
    // What pipelines generated before issue 15 ran: both exit 2.
    expect(cliRejects(['policy', 'eval', '--packs', 'baseline', '--fail-closed'])).not.toBeNull();
    expect(
      cliRejects(['policy', 'eval', 'baseline', '--input', 'in.json', '--fail-closed']),
    ).toMatch(/unknown option '--fail-closed'/);
    expect(
      cliRejects(['release', 'create', '--target', 'kubernetes', '--environment', 'staging']),
    ).toMatch(/unknown option/);
    expect(cliRejects(['release', 'create', 'prj_1'])).toMatch(
      /missing required argument 'version'/,
    );
    expect(cliRejects(['release', 'deploy', 'x'])).toMatch(/unknown command|too many arguments/);
    expect(cliRejects(['deploy', 'x'])).toMatch(/unknown command/);
    expect(cliRejects(['release', 'rollback', 'rel_1'])).toMatch(/--reason/);
    expect(cliRejects(['policy', 'eval', 'baseline', '--input', 'gate-input.json'])).toBeNull();
  });

  it('given shell text, when split, then quotes go and CI expressions stay whole', () => {
    expect(
      shellWords(`prodsprint release create "$P" '\${{ github.sha }}' --env staging # note`),
    ).toEqual(['prodsprint', 'release', 'create', '$P', '${{ github.sha }}', '--env', 'staging']);
  });

  it('given the golden cases, when their artifacts are walked, then they call prodsprint', () => {
    const count = plans.flatMap(({ plan }) =>
      plan.artifacts.flatMap((a) => prodsprintInvocations(a.path, a.content)),
    ).length;
    expect(count).toBeGreaterThan(100);
  });

  it.each(plans.map((p) => [p.name, p] as const))(
    '%s: every prodsprint invocation parses',
    (_name, { name, plan }) => {
      const failures: string[] = [];
      for (const artifact of plan.artifacts) {
        for (const call of prodsprintInvocations(artifact.path, artifact.content)) {
          const error = cliRejects(call.args);
          if (error) failures.push(`${name}: ${call.file}:${call.line}: ${call.text}\n  ${error}`);
        }
      }
      expect(failures).toEqual([]);
    },
  );
});
