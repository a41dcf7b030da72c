import {
  byPath,
  CoverageParseError,
  sumTallies,
  type CoverageReport,
  type FileCoverage,
} from './coverage-report.ts';

/**
 * lcov tracefiles (geninfo(1) format), as written by c8, nyc, Jest, Vitest, genhtml users:
 * `SF:` opens a file, `DA:<line>,<hits>` and `BRDA:<line>,<block>,<branch>,<taken|->` record
 * executions, `end_of_record` closes it. Counts are recomputed from DA/BRDA rather than trusted
 * from LF/LH, and a file listed twice (several test runs) is merged line by line.
 */
export function parseLcov(text: string, source = 'lcov.info'): CoverageReport {
  const lineHits = new Map<string, Map<number, number>>();
  const branchHits = new Map<string, Map<string, number>>();
  let current: string | undefined;
  let records = 0;

  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('TN:')) return;
    if (line === 'end_of_record') {
      current = undefined;
      records += 1;
      return;
    }
    const colon = line.indexOf(':');
    const tag = colon === -1 ? line : line.slice(0, colon);
    const value = line.slice(colon + 1);
    if (tag === 'SF') {
      current = value;
      if (!lineHits.has(current)) lineHits.set(current, new Map());
      if (!branchHits.has(current)) branchHits.set(current, new Map());
      return;
    }
    if (tag !== 'DA' && tag !== 'BRDA') return; // LF, LH, FN*, BRF, BRH are derivable or unused
    if (current === undefined)
      throw new CoverageParseError(
        source,
        `line ${index + 1}: ${tag} outside a file record (no SF: before it)`,
      );
    const fields = value.split(',');
    if (tag === 'DA') {
      const lineNo = Number(fields[0]);
      const hits = Number(fields[1]);
      if (!Number.isInteger(lineNo) || !Number.isFinite(hits))
        throw new CoverageParseError(source, `line ${index + 1}: malformed DA record '${line}'`);
      const lines = lineHits.get(current)!;
      lines.set(lineNo, Math.max(lines.get(lineNo) ?? 0, hits));
    } else {
      if (fields.length < 4)
        throw new CoverageParseError(source, `line ${index + 1}: malformed BRDA record '${line}'`);
      const key = fields.slice(0, 3).join(',');
      const taken = fields[3] === '-' ? 0 : Number(fields[3]);
      const branches = branchHits.get(current)!;
      branches.set(key, Math.max(branches.get(key) ?? 0, taken));
    }
  });
  if (records === 0 && lineHits.size === 0)
    throw new CoverageParseError(
      source,
      'no file records (SF: … end_of_record) found; is this an lcov tracefile?',
    );

  const files: FileCoverage[] = [...lineHits].map(([path, lines]) => {
    const branches = branchHits.get(path)!;
    return {
      path,
      lines: { covered: [...lines.values()].filter((hits) => hits > 0).length, total: lines.size },
      ...(branches.size
        ? {
            branches: {
              covered: [...branches.values()].filter((taken) => taken > 0).length,
              total: branches.size,
            },
          }
        : {}),
    };
  });
  const withBranches = files.filter((file) => file.branches);
  return {
    format: 'lcov',
    unit: 'lines',
    lines: sumTallies(files.map((file) => file.lines)),
    ...(withBranches.length
      ? { branches: sumTallies(withBranches.map((file) => file.branches!)) }
      : {}),
    files: byPath(files),
  };
}
