// Issue 6 acceptance: the built-in packs' *_test.rego pass when run by our engine as `opa test`.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readPackDir } from '../../engine/policy/gates/pack-files.ts';
import { loadPack } from '../../engine/policy/gates/pack.ts';
import { checkFunctions, evalQuery, toJSONText } from '../../engine/policy/rego/index.ts';
import { formatReport, runPackTests } from '../../engine/policy/testing/opa-test.ts';

const packDir = (name: string): string =>
  fileURLToPath(new URL(`../../policies/${name}`, import.meta.url));
const load = async (name: string) => loadPack(await readPackDir(packDir(name)));

describe.each(['baseline', 'soc2', 'hipaa'])('built-in pack %s', (name) => {
  it('passes every test in its *_test.rego', async () => {
    const pack = await load(name);
    const report = runPackTests(pack);
    expect(report.results.length).toBeGreaterThanOrEqual(8);
    expect(report.results.every((r) => r.file.endsWith('_test.rego'))).toBe(true);
    expect(report.passed, formatReport(report)).toBe(report.results.length);
  });

  it('has a manifest with revision and roots, and calls only known functions', async () => {
    const pack = await load(name);
    expect(pack).toMatchObject({ name, gate: `prodsprint/${name}` });
    expect(pack.revision).not.toBe('');
    expect(pack.roots).toContain(`prodsprint/${name}`);
    expect(checkFunctions(pack.policy)).toEqual([]);
  });
});

describe('packs built on the baseline', () => {
  it.each(['soc2', 'hipaa'])(
    '%s carries an unmodified copy of baseline.rego and its data',
    async (name) => {
      const copy = await readFile(`${packDir(name)}/baseline.rego`, 'utf8');
      expect(copy).toBe(await readFile(`${packDir('baseline')}/baseline.rego`, 'utf8'));
      const [own, base] = await Promise.all([load(name), load('baseline')]);
      const baselineData = (p: typeof own): string =>
        toJSONText(
          evalQuery(p.policy, 'x := data.prodsprint.config.baseline', { data: p.data })[0]!.x!,
        );
      expect(baselineData(own)).toBe(baselineData(base));
    },
  );
});
