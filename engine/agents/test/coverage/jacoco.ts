import {
  byPath,
  CoverageParseError,
  type CoverageReport,
  type FileCoverage,
  type Tally,
} from './coverage-report.ts';
import { asArray, intAttribute, parseXml, type XmlNode } from './xml.ts';

const REPEATED = new Set(['package', 'sourcefile', 'counter', 'group', 'class', 'method', 'line']);

/**
 * JaCoCo XML (Maven/Gradle jacoco plugins). Each element carries `<counter type missed covered>`
 * totals; the report-level LINE and BRANCH counters are the project's figures, and sourcefiles
 * give per-file ones (paths are package-relative, as JaCoCo writes them).
 */
export function parseJacoco(text: string, source = 'jacoco.xml'): CoverageReport {
  const report = parseXml(text, source, REPEATED).report as XmlNode | undefined;
  if (!report)
    throw new CoverageParseError(source, 'no <report> root element; is this a JaCoCo report?');
  const lines = counter(report, 'LINE');
  if (!lines) throw new CoverageParseError(source, 'the report has no LINE counter');
  const branches = counter(report, 'BRANCH');
  const files: FileCoverage[] = [];
  const packages = [
    ...asArray(report.package as XmlNode[] | undefined),
    ...asArray(report.group as XmlNode[] | undefined).flatMap((group) =>
      asArray(group.package as XmlNode[] | undefined),
    ),
  ];
  for (const pkg of packages) {
    for (const file of asArray(pkg.sourcefile as XmlNode[] | undefined)) {
      const fileLines = counter(file, 'LINE');
      if (!fileLines) continue;
      const fileBranches = counter(file, 'BRANCH');
      files.push({
        path: `${String(pkg['@name'])}/${String(file['@name'])}`,
        lines: fileLines,
        ...(fileBranches ? { branches: fileBranches } : {}),
      });
    }
  }
  return {
    format: 'jacoco',
    unit: 'lines',
    lines,
    ...(branches ? { branches } : {}),
    files: byPath(files),
  };
}

function counter(node: XmlNode, type: string): Tally | undefined {
  const found = asArray(node.counter as XmlNode[] | undefined).find(
    (candidate) => candidate['@type'] === type,
  );
  if (!found) return undefined;
  const missed = intAttribute(found, 'missed') ?? 0;
  const covered = intAttribute(found, 'covered') ?? 0;
  return { covered, total: covered + missed };
}
