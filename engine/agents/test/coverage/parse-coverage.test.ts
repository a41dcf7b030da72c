import { describe, expect, it } from 'vitest';
import { CoverageParseError, parseCoverage, percent } from './parse-coverage.ts';

// The same small project (src/a.ts: 10 lines, 7 run, 4 branches, 3 taken; src/b.ts: 5 lines,
// none run) written by each tool, so the formats are checked against one known truth.
const LCOV = `TN:
SF:src/a.ts
FN:1,handler
FNDA:3,handler
DA:1,3
DA:2,3
DA:3,0
DA:4,1
DA:5,1
DA:6,0
DA:7,2
DA:8,2
DA:9,0
DA:10,1
BRDA:4,0,0,1
BRDA:4,0,1,0
BRDA:7,1,0,2
BRDA:7,1,1,1
LF:10
LH:7
end_of_record
SF:src/b.ts
DA:1,0
DA:2,0
DA:3,0
DA:4,0
DA:5,0
LF:5
LH:0
end_of_record
`;

const COBERTURA = `<?xml version="1.0" ?>
<!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">
<coverage version="7.4.0" timestamp="1700000000" line-rate="0.4667" branch-rate="0.75">
  <sources><source>/work/app</source></sources>
  <packages>
    <package name="src" line-rate="0.4667">
      <classes>
        <class name="a.py" filename="src/a.py" line-rate="0.7">
          <lines>
            <line number="1" hits="3"/><line number="2" hits="3"/><line number="3" hits="0"/>
            <line number="4" hits="1" branch="true" condition-coverage="50% (1/2)"/>
            <line number="5" hits="1"/><line number="6" hits="0"/>
            <line number="7" hits="2" branch="true" condition-coverage="100% (2/2)"/>
            <line number="8" hits="2"/><line number="9" hits="0"/><line number="10" hits="1"/>
          </lines>
        </class>
        <class name="b.py" filename="src/b.py" line-rate="0">
          <lines>
            <line number="1" hits="0"/><line number="2" hits="0"/><line number="3" hits="0"/><line number="4" hits="0"/><line number="5" hits="0"/>
          </lines>
        </class>
      </classes>
    </package>
  </packages>
</coverage>`;

const JACOCO = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE report PUBLIC "-//JACOCO//DTD Report 1.1//EN" "report.dtd">
<report name="shop">
  <sessioninfo id="host-1" start="1700000000000" dump="1700000001000"/>
  <package name="com/example/shop">
    <class name="com/example/shop/A" sourcefilename="A.java">
      <counter type="LINE" missed="3" covered="7"/>
    </class>
    <sourcefile name="A.java">
      <line nr="1" mi="0" ci="3" mb="0" cb="0"/>
      <counter type="INSTRUCTION" missed="9" covered="21"/>
      <counter type="BRANCH" missed="1" covered="3"/>
      <counter type="LINE" missed="3" covered="7"/>
    </sourcefile>
    <sourcefile name="B.java">
      <counter type="LINE" missed="5" covered="0"/>
    </sourcefile>
    <counter type="LINE" missed="8" covered="7"/>
  </package>
  <counter type="INSTRUCTION" missed="24" covered="21"/>
  <counter type="BRANCH" missed="1" covered="3"/>
  <counter type="LINE" missed="8" covered="7"/>
</report>`;

const COVERAGE_PY = JSON.stringify({
  meta: { version: '7.4.0', branch_coverage: true },
  files: {
    'src/a.py': {
      summary: {
        covered_lines: 7,
        num_statements: 10,
        covered_branches: 3,
        num_branches: 4,
        percent_covered: 64.28,
      },
    },
    'src/b.py': {
      summary: {
        covered_lines: 0,
        num_statements: 5,
        covered_branches: 0,
        num_branches: 0,
        percent_covered: 0,
      },
    },
  },
  totals: {
    covered_lines: 7,
    num_statements: 15,
    covered_branches: 3,
    num_branches: 4,
    percent_covered: 52.63,
  },
});

// Go: a.go has 4 blocks (10 statements, 7 covered); b.go one block of 5, uncovered.
const GO_PROFILE = `mode: count
example.com/shop/a.go:3.20,6.2 3 4
example.com/shop/a.go:8.2,9.10 2 0
example.com/shop/a.go:11.2,14.3 4 1
example.com/shop/a.go:16.2,16.15 1 0
example.com/shop/b.go:3.20,9.2 5 0
`;

describe('parseCoverage: one truth, five formats', () => {
  it.each([
    ['lcov', LCOV, 'lines'],
    ['cobertura', COBERTURA, 'lines'],
    ['jacoco', JACOCO, 'lines'],
    ['coverage.py', COVERAGE_PY, 'statements'],
  ])('%s: 7 of 15 lines covered, 3 of 4 branches', (format, text, unit) => {
    const report = parseCoverage(text, `report.${format}`);
    expect(report.format).toBe(format);
    expect(report.unit).toBe(unit);
    expect(report.lines).toEqual({ covered: 7, total: 15 });
    expect(percent(report.lines)).toBe(46.67);
    expect(report.branches).toEqual({ covered: 3, total: 4 });
    expect(report.files.map((file) => file.lines)).toEqual([
      { covered: 7, total: 10 },
      { covered: 0, total: 5 },
    ]);
  });

  it('go: counts statements, 7 of 15', () => {
    const report = parseCoverage(GO_PROFILE, 'coverage.out');
    // Blocks with a count above zero hold 3 + 4 statements.
    expect(report).toMatchObject({
      format: 'go',
      unit: 'statements',
      lines: { covered: 7, total: 15 },
    });
    expect(report.files).toEqual([
      { path: 'example.com/shop/a.go', lines: { covered: 7, total: 10 } },
      { path: 'example.com/shop/b.go', lines: { covered: 0, total: 5 } },
    ]);
  });
});

describe('merging repeated records', () => {
  it('lcov: a file listed by two test runs counts each line once, covered if either run hit it', () => {
    const twoRuns = `SF:src/x.ts\nDA:1,0\nDA:2,1\nend_of_record\nSF:src/x.ts\nDA:1,2\nDA:2,0\nDA:3,0\nend_of_record\n`;
    expect(parseCoverage(twoRuns, 'lcov.info').lines).toEqual({ covered: 2, total: 3 });
  });

  it('go: a block repeated by two test binaries counts once, with its highest count', () => {
    const merged = `mode: set\nm/a.go:1.1,2.2 3 0\nm/a.go:1.1,2.2 3 1\nmode: set\nm/a.go:4.1,5.2 2 0\n`;
    expect(parseCoverage(merged, 'cover.out').lines).toEqual({ covered: 3, total: 5 });
  });

  it('cobertura: two classes in one file merge their lines', () => {
    const partial = `<coverage><packages><package name="p"><classes>
      <class name="A" filename="m.py"><lines><line number="1" hits="1"/><line number="2" hits="0"/></lines></class>
      <class name="B" filename="m.py"><lines><line number="2" hits="4"/><line number="3" hits="0"/></lines></class>
    </classes></package></packages></coverage>`;
    expect(parseCoverage(partial, 'coverage.xml').lines).toEqual({ covered: 2, total: 3 });
  });
});

describe('bad reports are refused with the source named', () => {
  it.each([
    ['plain text', 'all tests passed!\n', /report\.txt: not a coverage format/],
    ['truncated XML', COBERTURA.slice(0, 400), /report\.txt: not well-formed XML/],
    ['JSON of something else', '{"name": "shop"}', /not a coverage\.py JSON report/],
    ['a Go profile with a broken line', 'mode: set\nm/a.go:1.1 3\n', /line 2: not a cover block/],
    ['lcov data before any SF', 'TN:\nDA:1,1\n', /DA outside a file record/],
    ['an lcov DA with text in it', 'SF:a\nDA:one,1\nend_of_record\n', /malformed DA record/],
  ])('%s', (_case, text, message) => {
    expect(() => parseCoverage(text, 'report.txt')).toThrow(CoverageParseError);
    expect(() => parseCoverage(text, 'report.txt')).toThrow(message);
  });

  it('does not expand entities (billion laughs stays small and fast)', () => {
    const laughs = `<?xml version="1.0"?>
<!DOCTYPE coverage [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<coverage><packages><package name="&lol4;"><classes><class name="x" filename="&lol4;"><lines><line number="1" hits="1"/></lines></class></classes></package></packages></coverage>`;
    const report = parseCoverage(laughs, 'coverage.xml');
    expect(report.files[0]!.path).toBe('&lol4;');
    expect(report.lines).toEqual({ covered: 1, total: 1 });
  });

  it('an empty report is 0%, never 100%', () => {
    expect(percent({ covered: 0, total: 0 })).toBe(0);
  });
});
