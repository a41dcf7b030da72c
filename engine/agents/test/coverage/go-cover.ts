import {
  byPath,
  CoverageParseError,
  sumTallies,
  type CoverageReport,
  type FileCoverage,
} from './coverage-report.ts';

const BLOCK = /^(.+):(\d+)\.(\d+),(\d+)\.(\d+) (\d+) (\d+)$/;

/**
 * Go cover profiles (`go test -coverprofile`): a `mode:` line, then one line per basic block,
 * `file:startLine.startCol,endLine.endCol numStatements count`. Go measures statements, so the
 * report's unit says so. A block repeated by several test binaries counts once (max count), the
 * way `go tool cover` merges them.
 */
export function parseGoCoverProfile(text: string, source = 'coverage.out'): CoverageReport {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (!lines[0]?.startsWith('mode:'))
    throw new CoverageParseError(source, "a Go cover profile starts with 'mode: set|count|atomic'");
  const blocks = new Map<string, { file: string; statements: number; count: number }>();
  lines.slice(1).forEach((line, index) => {
    if (line.startsWith('mode:')) return; // concatenated profiles repeat the header
    const match = BLOCK.exec(line.trim());
    if (!match)
      throw new CoverageParseError(source, `line ${index + 2}: not a cover block: '${line}'`);
    const [, file, startLine, startCol, endLine, endCol, statements, count] = match;
    const key = `${file}:${startLine}.${startCol},${endLine}.${endCol}`;
    const previous = blocks.get(key);
    blocks.set(key, {
      file: file!,
      statements: Number(statements),
      count: Math.max(previous?.count ?? 0, Number(count)),
    });
  });
  const perFile = new Map<string, { covered: number; total: number }>();
  for (const block of blocks.values()) {
    const tally = perFile.get(block.file) ?? { covered: 0, total: 0 };
    tally.total += block.statements;
    if (block.count > 0) tally.covered += block.statements;
    perFile.set(block.file, tally);
  }
  const files: FileCoverage[] = [...perFile].map(([path, tally]) => ({ path, lines: tally }));
  return {
    format: 'go',
    unit: 'statements',
    lines: sumTallies(files.map((file) => file.lines)),
    files: byPath(files),
  };
}
