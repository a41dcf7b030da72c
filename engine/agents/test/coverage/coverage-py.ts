import { z } from 'zod';
import {
  byPath,
  CoverageParseError,
  type CoverageReport,
  type FileCoverage,
} from './coverage-report.ts';

const Summary = z.object({
  covered_lines: z.number().int().nonnegative(),
  num_statements: z.number().int().nonnegative(),
  covered_branches: z.number().int().nonnegative().optional(),
  num_branches: z.number().int().nonnegative().optional(),
});

const CoveragePyJson = z.object({
  meta: z.object({ version: z.string() }).loose().optional(),
  totals: Summary.loose(),
  files: z.record(z.string(), z.object({ summary: Summary.loose() }).loose()).default({}),
});

/** coverage.py's JSON report (`coverage json`): totals and per-file summaries, in statements. */
export function parseCoveragePyJson(text: string, source = 'coverage.json'): CoverageReport {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CoverageParseError(source, `not JSON: ${(error as Error).message}`);
  }
  const parsed = CoveragePyJson.safeParse(raw);
  if (!parsed.success)
    throw new CoverageParseError(
      source,
      `not a coverage.py JSON report: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`,
    );
  const { totals, files } = parsed.data;
  const branchesOf = (summary: z.infer<typeof Summary>) =>
    summary.num_branches !== undefined
      ? { branches: { covered: summary.covered_branches ?? 0, total: summary.num_branches } }
      : {};
  const fileList: FileCoverage[] = Object.entries(files).map(([path, file]) => ({
    path,
    lines: { covered: file.summary.covered_lines, total: file.summary.num_statements },
    ...branchesOf(file.summary),
  }));
  return {
    format: 'coverage.py',
    unit: 'statements',
    lines: { covered: totals.covered_lines, total: totals.num_statements },
    ...branchesOf(totals),
    files: byPath(fileList),
  };
}
