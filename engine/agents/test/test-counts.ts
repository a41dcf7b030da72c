/**
 * Passed/failed counts and failing test names from a test run's output, when the runner's
 * summary is recognised (node:test's spec reporter, pytest, unittest); null counts otherwise.
 */
export interface TestCounts {
  testsPassed: number | null;
  testsFailed: number | null;
  /** Names of failing tests, as the runner printed them. */
  failedTests: string[];
}

export function countTests(lines: string[]): TestCounts {
  const text = lines.join('\n');
  const counts: TestCounts = { testsPassed: null, testsFailed: null, failedTests: [] };
  // node --test: "ℹ pass 3" / "ℹ fail 1"; failures listed as "✖ name (1.2ms)".
  const nodePass = /^\S*\s*pass (\d+)$/m.exec(text);
  const nodeFail = /^\S*\s*fail (\d+)$/m.exec(text);
  if (nodePass && nodeFail) {
    counts.testsPassed = Number(nodePass[1]);
    counts.testsFailed = Number(nodeFail[1]);
    for (const match of text.matchAll(/^\s*✖ (.+?) \(\d+(?:\.\d+)?m?s\)$/gm))
      if (match[1] && !/^failing tests:?$/.test(match[1])) counts.failedTests.push(match[1]);
  }
  // pytest: "1 failed, 5 passed in 0.42s"; failures as "FAILED tests/x.py::test_y - …".
  const pytest = /^=*\s*((?:\d+ \w+(?:, )?)+) in [\d.]+s/m.exec(text);
  if (pytest?.[1]) {
    counts.testsPassed = Number(/(\d+) passed/.exec(pytest[1])?.[1] ?? 0);
    counts.testsFailed =
      Number(/(\d+) failed/.exec(pytest[1])?.[1] ?? 0) +
      Number(/(\d+) errors?/.exec(pytest[1])?.[1] ?? 0);
    for (const match of text.matchAll(/^(?:FAILED|ERROR) (\S+)/gm))
      if (match[1]) counts.failedTests.push(match[1]);
  }
  counts.failedTests = [...new Set(counts.failedTests)];
  return counts;
}
