/**
 * Coverage in one shape, whatever tool produced it, so the policy gate compares like with like.
 * Go counts statements and the others count lines; `unit` says which, rather than pretending.
 */
export interface Tally {
  covered: number;
  total: number;
}

export interface FileCoverage {
  path: string;
  lines: Tally;
  branches?: Tally;
}

export type CoverageFormat = 'lcov' | 'cobertura' | 'coverage.py' | 'go' | 'jacoco';

export interface CoverageReport {
  format: CoverageFormat;
  unit: 'lines' | 'statements';
  lines: Tally;
  branches?: Tally;
  files: FileCoverage[];
}

/** Percentage with two decimals; an empty tally is 0%, not 100% (nothing measured is not covered). */
export function percent(tally: Tally): number {
  return tally.total === 0 ? 0 : Math.round((tally.covered / tally.total) * 10_000) / 100;
}

export function sumTallies(tallies: Iterable<Tally>): Tally {
  let covered = 0;
  let total = 0;
  for (const tally of tallies) {
    covered += tally.covered;
    total += tally.total;
  }
  return { covered, total };
}

/** A report that cannot be read: names the source and what was wrong with it. */
export class CoverageParseError extends Error {
  readonly source: string;

  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'CoverageParseError';
    this.source = source;
  }
}

export function byPath(files: FileCoverage[]): FileCoverage[] {
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
