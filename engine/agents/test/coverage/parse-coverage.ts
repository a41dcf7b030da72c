import { parseCobertura } from './cobertura.ts';
import { parseCoveragePyJson } from './coverage-py.ts';
import { CoverageParseError, type CoverageReport } from './coverage-report.ts';
import { parseGoCoverProfile } from './go-cover.ts';
import { parseJacoco } from './jacoco.ts';
import { parseLcov } from './lcov.ts';

/**
 * Reads a coverage report of any supported format, recognised by its content (file names vary
 * too much between tools to be trusted): lcov, Cobertura XML, JaCoCo XML, coverage.py JSON or
 * a Go cover profile.
 */
export function parseCoverage(text: string, source: string): CoverageReport {
  const head = text.trimStart().slice(0, 2000);
  if (head.startsWith('mode:')) return parseGoCoverProfile(text, source);
  if (/^(TN:|SF:)/m.test(head)) return parseLcov(text, source);
  if (head.startsWith('{')) return parseCoveragePyJson(text, source);
  if (head.startsWith('<')) {
    if (/<report[\s>]/.test(head)) return parseJacoco(text, source);
    if (/<coverage[\s>]/.test(head)) return parseCobertura(text, source);
  }
  throw new CoverageParseError(
    source,
    'not a coverage format ProdSprint reads (lcov, Cobertura XML, JaCoCo XML, coverage.py JSON, Go cover profile)',
  );
}

export {
  percent,
  CoverageParseError,
  type CoverageReport,
  type FileCoverage,
  type Tally,
} from './coverage-report.ts';
