import {
  byPath,
  CoverageParseError,
  sumTallies,
  type CoverageReport,
  type FileCoverage,
  type Tally,
} from './coverage-report.ts';
import { asArray, intAttribute, parseXml, type XmlNode } from './xml.ts';

const REPEATED = new Set(['package', 'class', 'line', 'source']);

/**
 * Cobertura XML (pytest-cov `--cov-report=xml`, coverlet, gcovr, istanbul's cobertura reporter).
 * Tallies are recomputed from `<line hits>` (and `condition-coverage="50% (1/2)"` for branches)
 * because the root's `lines-valid` attributes are missing in older writers, and several
 * `<class>` elements can describe one file (Python modules, C# partial classes).
 */
export function parseCobertura(text: string, source = 'coverage.xml'): CoverageReport {
  const root = parseXml(text, source, REPEATED).coverage as XmlNode | undefined;
  if (!root)
    throw new CoverageParseError(source, 'no <coverage> root element; is this a Cobertura report?');
  const perFile = new Map<string, { lines: Map<number, number>; branches: Tally }>();
  for (const pkg of asArray(
    (root.packages as XmlNode | undefined)?.package as XmlNode[] | undefined,
  )) {
    for (const cls of asArray(
      (pkg.classes as XmlNode | undefined)?.class as XmlNode[] | undefined,
    )) {
      const path = String(cls['@filename'] ?? cls['@name'] ?? '');
      if (!path) throw new CoverageParseError(source, '<class> without filename');
      const entry = perFile.get(path) ?? {
        lines: new Map<number, number>(),
        branches: { covered: 0, total: 0 },
      };
      for (const line of asArray(
        (cls.lines as XmlNode | undefined)?.line as XmlNode[] | undefined,
      )) {
        const number = intAttribute(line, 'number');
        const hits = intAttribute(line, 'hits');
        if (number === undefined || hits === undefined)
          throw new CoverageParseError(source, `<line> in ${path} without number or hits`);
        entry.lines.set(number, Math.max(entry.lines.get(number) ?? 0, hits));
        const condition = /\((\d+)\/(\d+)\)/.exec(String(line['@condition-coverage'] ?? ''));
        if (line['@branch'] === 'true' && condition) {
          entry.branches.covered += Number(condition[1]);
          entry.branches.total += Number(condition[2]);
        }
      }
      perFile.set(path, entry);
    }
  }
  const files: FileCoverage[] = [...perFile].map(([path, entry]) => ({
    path,
    lines: {
      covered: [...entry.lines.values()].filter((hits) => hits > 0).length,
      total: entry.lines.size,
    },
    ...(entry.branches.total ? { branches: entry.branches } : {}),
  }));
  const withBranches = files.filter((file) => file.branches);
  return {
    format: 'cobertura',
    unit: 'lines',
    lines: sumTallies(files.map((file) => file.lines)),
    ...(withBranches.length
      ? { branches: sumTallies(withBranches.map((file) => file.branches!)) }
      : {}),
    files: byPath(files),
  };
}
