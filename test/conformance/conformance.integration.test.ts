// OPA conformance cases run through our Rego engine. Every case id in baseline.json passed
// when the baseline was recorded; a case that passed must never regress (issue 6).
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCases } from '../../engine/policy/conformance/loader.ts';
import { runAll } from '../../engine/policy/conformance/run-all.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const casesDir = resolve(repoRoot, '../shared/conformance/opa/cases');
const baselineFile = fileURLToPath(new URL('./baseline.json', import.meta.url));

describe('OPA conformance', () => {
  it('keeps every baseline case passing', async () => {
    expect(existsSync(casesDir), `conformance cases not found at ${casesDir}`).toBe(true);
    const baseline = JSON.parse(await readFile(baselineFile, 'utf8')) as { passing: string[] };
    const { results, summary } = runAll(await loadCases(casesDir));
    const byId = new Map(results.map((r) => [r.id, r]));
    const regressed = baseline.passing
      .filter((id) => byId.get(id)?.status !== 'pass')
      .map((id) => `${id}: ${byId.get(id)?.reason ?? 'case no longer exists'}`);
    const rate = ((100 * summary.passed) / summary.total).toFixed(1);
    console.log(
      `conformance: ${summary.passed}/${summary.total} passed (${rate}%), ${summary.failed} failed, ${summary.skipped} skipped`,
    );
    expect(regressed).toEqual([]);
    expect(baseline.passing.length).toBeGreaterThan(0);
  });
});
