import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalize } from '../../engine/audit/jcs.ts';
import { runCli } from '../support/run-cli.ts';

// `prodsprint policy …` with the built-in packs: the packs' own tests, a gate that denies with
// remedies (exit 6), the same gate allowing once the state is fixed, and every decision in the
// audit chain with the digest of the input it was made on.
const FIXTURE = new URL('../policy/fixtures/gate-input.json', import.meta.url);
let root: string;
let dataDir: string;
let denying: string;
let allowing: string;
let allowingInput: Record<string, unknown>;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'prodsprint-policy-cli-'));
  dataDir = join(root, 'data');
  denying = join(root, 'denying.json');
  writeFileSync(denying, readFileSync(FIXTURE));
  allowingInput = {
    ...JSON.parse(readFileSync(FIXTURE, 'utf8')),
    time: '2026-11-28T10:00:00Z',
    coverage: { linesPct: 82, threshold: null, thresholdSource: 'pack' },
    sbom: { present: true, format: 'CycloneDX 1.6', components: 120 },
    vulns: [],
    perf: { p95Ms: 250, errorRate: 0.001, budget: { p95Ms: 300, errorRate: 0.01 } },
    cost: { monthly: 900, ceiling: 1000, currency: 'USD' },
    approvals: [{ who: 'bob', role: 'release-manager', at: '2026-11-28T09:00:00Z' }],
    config: { scanner: 'trivy config', findings: [] },
  };
  allowing = join(root, 'allowing.json');
  writeFileSync(allowing, JSON.stringify(allowingInput));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);

describe('prodsprint policy', () => {
  it('lists the built-in packs', async () => {
    const { packs } = JSON.parse((await cli('policy', 'list', '--json')).stdout);
    expect(packs.map((pack: { name: string }) => pack.name)).toEqual(['baseline', 'hipaa', 'soc2']);
  });

  it.each(['baseline', 'soc2', 'hipaa'])(
    "runs the %s pack's own tests, all passing",
    async (pack) => {
      const result = await cli('policy', 'test', pack, '--json');
      expect(result.code, result.stdout).toBe(0);
      const report = JSON.parse(result.stdout);
      expect(report.passed).toBeGreaterThan(0);
      expect(report).toMatchObject({ failed: 0, errored: 0 });
    },
  );

  it('denies with each reason and its remedy, exit 6', async () => {
    const result = await cli('policy', 'eval', 'baseline', '--input', denying);
    expect(result.code).toBe(6);
    expect(result.stdout).toMatch(/^DENY: baseline /);
    expect(result.stdout).toMatch(
      /baseline\.coverage: line coverage 71\.5% is below the 80% threshold/,
    );
    expect(result.stdout).toMatch(/-> Upgrade libxml2/);
    expect(result.stdout).toMatch(/waived by sec-lead/);
  });

  it('allows once the state is fixed, exit 0, and keeps the input by its digest', async () => {
    const result = await cli('policy', 'eval', 'baseline', '--input', allowing, '--json');
    expect(result.code, result.stdout).toBe(0);
    const decision = JSON.parse(result.stdout);
    expect(decision).toMatchObject({ allow: true, deny: [] });
    const digest = createHash('sha256').update(canonicalize(allowingInput)!).digest('hex');
    expect(decision.inputDigest).toBe(digest);
    expect(createHash('sha256').update(readFileSync(decision.inputFile)).digest('hex')).toBe(
      digest,
    );
  });

  it('fails closed on an input that is not a gate input document', async () => {
    const broken = join(root, 'broken.json');
    writeFileSync(broken, JSON.stringify({ coverage: 'lots' }));
    const result = await cli('policy', 'eval', 'baseline', '--input', broken, '--json');
    expect(result.code).toBe(6);
    expect(JSON.parse(result.stdout).deny[0].rule).toBe('gate.evaluation');
  });

  it('names an unknown pack (exit 2)', async () => {
    const result = await cli('policy', 'eval', 'pci', '--input', allowing);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/<pack>: unknown pack/);
  });

  it('every decision is a signed audit entry', async () => {
    const bundle = join(root, 'audit.tar.gz');
    const exported = JSON.parse((await cli('audit', 'export', '-o', bundle, '--json')).stdout);
    // key.created + three decisions above
    expect(exported.entries).toBe(4);
    expect((await cli('audit', 'verify', bundle)).code).toBe(0);
  });
});
