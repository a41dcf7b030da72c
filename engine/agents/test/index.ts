/**
 * The test stage (issue 10): what to run, running it, the coverage it reports, and the throwaway
 * databases its integration tests need; which backing services a service needs and how its code
 * is wired to them (issue 14, also used by the local environments).
 */
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
export {
  composeNamesOf,
  DATASTORES,
  datastoresOf,
  neededDatastores,
  needsAny,
  type Datastore,
  type DatastoreNeeds,
} from './datastores.ts';
export {
  composeCredentials,
  passwordVariables,
  type CredentialHints,
} from './compose-credentials.ts';
export { type ComposeSecret } from './compose-secrets.ts';
export {
  KINDS,
  logsOf,
  requireMongoImage,
  type Credentials,
  type DatastoreKind,
} from './datastore-kinds.ts';
export {
  NO_SIGNALS,
  readRepositorySignals,
  type ComposeStackService,
  type RepositorySignals,
} from './repository-signals.ts';
export {
  usualEnv,
  wireBackingServices,
  type StartedBackingService,
} from './wire-backing-services.ts';
export {
  registerBackingFiles,
  unavailableBackingFiles,
  wireBackingFiles,
} from './wire-backing-files.ts';
export {
  startEphemeralDatastores,
  DATASTORE_LABEL,
  type EphemeralDatastores,
  type StartEphemeralDatastoresOptions,
} from './ephemeral-datastores.ts';
export {
  applySqlMigrations,
  MigrationFailedError,
  type AppliedMigrations,
} from './apply-migrations.ts';
export { planSqlMigrations, type MigrationPlan } from './sql-migrations.ts';
