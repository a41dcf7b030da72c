/**
 * Invariant 7: the same fingerprint and inputs render byte-identical artifacts — across two runs,
 * and regardless of the order the user listed choices or the auditor listed services in. The
 * audited cases (every stack fixture of test/fixtures/repos) go through the real auditor afresh
 * on each run, so auditor → blueprint is deterministic end to end.
 */
import { describe, expect, it } from 'vitest';
import { planBlueprint } from '../../engine/agents/blueprint/plan.ts';
import { Fingerprint } from '../../engine/agents/repo-auditor/fingerprint.ts';
import { AUDITED_CASES, auditFixture, auditedStackOf, planAudited } from './audited-cases.ts';
import { CASES, noRepository } from './cases.ts';

const bytes = (plan: Awaited<ReturnType<typeof planBlueprint>>) =>
  plan.artifacts.map((a) => `${a.path}\n${a.content}`).join('\0');

describe('blueprint determinism', () => {
  it.each(CASES.map((c) => c.name))('%s renders byte-identical twice', async (name) => {
    const c = CASES.find((x) => x.name === name)!;
    const first = await planBlueprint(c.fingerprint, c.inputs, { readCurrentFile: noRepository });
    const second = await planBlueprint(structuredClone(c.fingerprint), structuredClone(c.inputs), {
      readCurrentFile: noRepository,
    });
    expect(bytes(second)).toBe(bytes(first));
    expect(second.planHash).toBe(first.planHash);
  });

  // Every auditor fixture stack × target, from scratch each time: the fixture is written to a new
  // temporary directory and audited again, then planned; both runs must agree to the byte.
  it.each(AUDITED_CASES.map((c) => c.name))(
    '%s audits and renders byte-identical twice',
    async (name) => {
      const { tree } = auditedStackOf(name);
      const first = await planAudited(name, await auditFixture(tree));
      const second = await planAudited(name, await auditFixture(tree));
      expect(second.artifacts.map((a) => a.path)).toEqual(first.artifacts.map((a) => a.path));
      for (const [i, a] of first.artifacts.entries())
        expect(second.artifacts[i]!.content, `${name}: ${a.path}`).toBe(a.content);
      expect(bytes(second)).toBe(bytes(first));
      expect(second.planHash).toBe(first.planHash);
    },
  );

  it('does not depend on the order of services, approvals, packs or environments', async () => {
    const c = CASES.find((x) => x.name === 'monorepo-eks')!;
    const inputs = c.inputs as {
      approvals: string[];
      environments: string[];
      policies: { packs: string[] };
    };
    const reordered = {
      ...inputs,
      approvals: [...inputs.approvals].reverse(),
      environments: [...inputs.environments].reverse(),
      policies: { ...inputs.policies, packs: [...inputs.policies.packs].reverse() },
    };
    const fingerprint = Fingerprint.parse({
      ...c.fingerprint,
      services: [...c.fingerprint.services].reverse(),
    });
    const a = await planBlueprint(c.fingerprint, c.inputs, { readCurrentFile: noRepository });
    const b = await planBlueprint(fingerprint, reordered, { readCurrentFile: noRepository });
    expect(bytes(b)).toBe(bytes(a));
    expect(b.planHash).toBe(a.planHash);
  });

  it('changes the plan hash when an input changes', async () => {
    const c = CASES.find((x) => x.name === 'go-gin-docker')!;
    const a = await planBlueprint(c.fingerprint, c.inputs, { readCurrentFile: noRepository });
    const b = await planBlueprint(
      c.fingerprint,
      { ...c.inputs, costCeilingMonthly: 10 },
      { readCurrentFile: noRepository },
    );
    expect(b.planHash).not.toBe(a.planHash);
  });
});
