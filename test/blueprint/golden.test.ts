/**
 * Golden files (issue 7): the whole plan of each case — summary, hash and every artifact — is
 * compared byte for byte with test/golden/blueprint/<case>.golden.txt. Review a change to them
 * like a change to the product's output; `UPDATE_GOLDEN=1` rewrites them.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../engine/agents/blueprint/canonical-json.ts';
import type { Plan } from '../../engine/agents/blueprint/plan-model.ts';
import { CASES, planFor } from './cases.ts';

const GOLDEN_DIR = join(import.meta.dirname, '..', 'golden', 'blueprint');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function goldenText(name: string, plan: Plan): string {
  const parts = [`# blueprint golden: ${name}\nplanHash: ${plan.planHash}\n`];
  parts.push(`=== inputs.json ===\n${canonicalJson(plan.inputs)}`);
  parts.push(`=== summary.json ===\n${canonicalJson(plan.summary)}`);
  for (const a of plan.artifacts)
    parts.push(`=== ${a.path} (${a.change}, ${a.sha256}) ===\n${a.content}`);
  return parts.join('\n');
}

describe('blueprint golden files', () => {
  it.each(CASES.map((c) => c.name))('%s matches its golden file', async (name) => {
    const text = goldenText(name, await planFor(name));
    const file = join(GOLDEN_DIR, `${name}.golden.txt`);
    if (UPDATE) {
      await mkdir(GOLDEN_DIR, { recursive: true });
      await writeFile(file, text);
    }
    expect(existsSync(file), `${file} is missing; run with UPDATE_GOLDEN=1 to create it`).toBe(
      true,
    );
    expect(text).toBe(await readFile(file, 'utf8'));
  });
});
