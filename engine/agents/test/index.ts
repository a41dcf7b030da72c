/** The test stage (issue 10): what to run, running it, and the coverage it reports. */
export { planTests, type TestCommand, type TestPlan } from './test-command.ts';
export { runTests, TestToolMissingError, type RunTestsOptions, type TestRun } from './run-tests.ts';
export {
  runTestsInContainer,
  TEST_RUN_LABEL,
  type ContainerTestRun,
  type RunTestsInContainerOptions,
} from './run-in-container.ts';
export {
  containerCommand,
  ContainerTestUnsupportedError,
  type ContainerCommand,
} from './container-command.ts';
export { countTests, type TestCounts } from './test-counts.ts';
export {
  parseCoverage,
  percent,
  CoverageParseError,
  type CoverageReport,
  type Tally,
} from './coverage/parse-coverage.ts';
