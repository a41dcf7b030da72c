// Prints the closing line CI reads: `tests: N passed, N failed, N skipped`, from vitest's JSON.
import { readFileSync } from 'node:fs';

const file = process.argv[2];
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.log(`tests: 0 passed, 1 failed (no report at ${file}: ${error.message})`);
  process.exit(0);
}
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
const failedSuites = (report.testResults ?? []).filter(
  (suite) => suite.status === 'failed' && suite.assertionResults.length === 0,
).length;
console.log(
  `tests: ${report.numPassedTests} passed, ${report.numFailedTests + failedSuites} failed, ${skipped} skipped`,
);
