// Runs a list of cases with the builtins available on this platform (Node adds crypto).
import { nodeBuiltins } from '../rego/builtins/node/index.ts';
import { runCase, summarize } from './runner.ts';
import type { CaseResult, Summary } from './runner.ts';
import type { ConformanceCase } from './loader.ts';

/** Run every case and tally the results. */
export function runAll(cases: ConformanceCase[]): { results: CaseResult[]; summary: Summary } {
  const extra = nodeBuiltins();
  const results = cases.map((c) => runCase(c, extra));
  return { results, summary: summarize(results) };
}
