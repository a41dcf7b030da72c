#!/usr/bin/env node
// Runs OPA-format conformance cases: `npm run conformance -- <cases-dir> [--verbose]
// [--write-baseline FILE]`. Prints pass/fail/skip per directory, every failed or skipped case
// with its reason (shortened unless --verbose), and as its last line exactly one JSON object with the
// totals. --write-baseline records the ids of passing cases (test/conformance/baseline.json).
import { writeFile } from 'node:fs/promises';
import { loadCases } from '../engine/policy/conformance/loader.ts';
import { runAll } from '../engine/policy/conformance/run-all.ts';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const baselineAt = args.indexOf('--write-baseline');
const baselineFile = baselineAt >= 0 ? args[baselineAt + 1] : undefined;
const dir = args.find((a, i) => !a.startsWith('--') && (baselineAt < 0 || i !== baselineAt + 1));
if (!dir) {
  console.error('usage: conformance <cases-dir> [--verbose] [--write-baseline FILE]');
  process.exit(2);
}
let cases;
try {
  cases = await loadCases(dir);
} catch (err) {
  console.error(
    `conformance: cannot read cases from ${dir}: ${err instanceof Error ? err.message : String(err)}`,
  );
  process.exit(2);
}
const { results, summary } = runAll(cases);
const dirs = Object.keys(summary.byDir).sort();
for (const d of dirs) {
  const s = summary.byDir[d];
  console.log(
    `${d.padEnd(40)} pass ${String(s.passed).padStart(4)}  fail ${String(s.failed).padStart(4)}  skip ${String(s.skipped).padStart(4)}`,
  );
  for (const r of results) {
    if (r.dir !== d || r.status === 'pass') continue;
    const reason = (r.reason ?? '').split('\n')[0];
    console.log(`  ${r.status} ${r.id} (${r.note}): ${verbose ? reason : reason.slice(0, 160)}`);
  }
}
if (baselineFile) {
  const passing = results.filter((r) => r.status === 'pass').map((r) => r.id);
  await writeFile(baselineFile, JSON.stringify({ passing }, null, 2) + '\n');
  console.error(`wrote ${passing.length} passing case ids to ${baselineFile}`);
}
console.log(JSON.stringify(summary));
