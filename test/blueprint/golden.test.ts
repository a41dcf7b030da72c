/**
 * Golden files (issue 7): the whole plan of each case — summary, hash and every artifact — is
 * compared byte for byte with test/golden/blueprint/<case>.golden.txt. Two sets of cases:
 *  - cases.ts: hand-made auditor-like fingerprints with varied inputs;
 *  - audited-cases.ts: every stack fixture of test/fixtures/repos, audited by the real auditor,
 *    on kubernetes, docker and a cloud target (goldens under audited/). Their docker and cloud
 *    goldens record artifacts identical to the stack's kubernetes plan as one `same as` line.
 * Review a change to them like a change to the product's output; `UPDATE_GOLDEN=1` rewrites them
 * (and removes goldens no case produces any more).
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../engine/agents/blueprint/plan-model.ts';
import { AUDITED_CASES, AUDITED_STACKS, CLOUD_TARGETS, auditedPlanFor } from './audited-cases.ts';
import { firstDifference, goldenText, recordShared, type SharedArtifact } from './golden-format.ts';

const GOLDEN_DIR = join(import.meta.dirname, '..', 'golden', 'blueprint');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

interface GoldenCase {
  name: string;
  plan: () => Promise<Plan>;
  sameAs?: string;
}

/**
 * Golden order: an artifact is shown in full in the first golden that has it. The hand-made cases
 * of cases.ts (still what the validator suites run over) have no goldens of their own any more:
 * the audited cases cover the same stacks from the real auditor, with the same input variety
 * (PROFILES), and keeping both would double the goldens' size for little. Add them here again
 * (`...CASES.map((c) => ({ name: c.name, plan: () => planFor(c.name) }))`) to pin them too.
 */
const GOLDEN_CASES: GoldenCase[] = AUDITED_CASES.map((c) => ({
  name: c.name,
  plan: () => auditedPlanFor(c.name),
  ...(c.sameAs ? { sameAs: c.sameAs } : {}),
}));

let texts: Promise<Map<string, string>> | undefined;

/** Every case's golden text, rendered in golden order so later ones can point to earlier ones. */
function goldenTexts(): Promise<Map<string, string>> {
  texts ??= (async () => {
    const shared = new Map<string, SharedArtifact[]>();
    const out = new Map<string, string>();
    for (const c of GOLDEN_CASES) {
      const plan = await c.plan();
      const text = goldenText(c.name, plan, shared, c.sameAs);
      recordShared(shared, c.name, plan, text);
      out.set(c.name, text);
    }
    return out;
  })();
  return texts;
}

const fileOf = (name: string) => join(GOLDEN_DIR, `${name}.golden.txt`);

function goldenFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? goldenFiles(join(dir, entry.name))
      : entry.name.endsWith('.golden.txt')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('blueprint golden files', () => {
  // The first case renders every plan (goldenTexts is shared): about 5 s on a loaded 2-core machine.
  it.each(GOLDEN_CASES.map((c) => c.name))(
    '%s matches its golden file',
    { timeout: 60_000 },
    async (name) => {
      const text = (await goldenTexts()).get(name)!;
      const file = fileOf(name);
      if (UPDATE) {
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, text);
      }
      expect(existsSync(file), `${file} is missing; run with UPDATE_GOLDEN=1 to create it`).toBe(
        true,
      );
      const difference = firstDifference(text, await readFile(file, 'utf8'));
      if (difference) {
        expect(
          difference.actual,
          `golden ${name}: the plan differs from ${relative(process.cwd(), file)}, first at ` +
            `${difference.path}; if the change is intended, review it and rerun with UPDATE_GOLDEN=1`,
        ).toBe(difference.expected);
      }
    },
  );

  it('has no golden file that no case produces', async () => {
    const expected = new Set(GOLDEN_CASES.map((c) => fileOf(c.name)));
    const stale = goldenFiles(GOLDEN_DIR).filter((f) => !expected.has(f));
    if (UPDATE) await Promise.all(stale.map((f) => rm(f)));
    else
      expect(
        stale.map((f) => relative(GOLDEN_DIR, f)),
        'stale goldens; UPDATE_GOLDEN=1 removes them',
      ).toEqual([]);
  });

  it('covers every auditor fixture stack on kubernetes, docker and a cloud target', () => {
    expect(AUDITED_STACKS.length).toBeGreaterThanOrEqual(20);
    for (const stack of AUDITED_STACKS) {
      expect(
        stack.fingerprint.services.length,
        `${stack.stack} audits to no service`,
      ).toBeGreaterThan(0);
      const targets = stack.cases.map((c) => c.target);
      expect(targets, stack.stack).toContain('kubernetes');
      expect(targets, stack.stack).toContain('docker');
      expect(
        targets.some((t) => (CLOUD_TARGETS as readonly string[]).includes(t)),
        stack.stack,
      ).toBe(true);
    }
    const clouds = new Set(AUDITED_STACKS.map((s) => s.cloud));
    expect([...clouds].sort()).toEqual([...CLOUD_TARGETS].sort());
  });
});
