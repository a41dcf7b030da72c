/**
 * The engine process the fault-injection test kills. Each start opens the same data dir,
 * submits the run if there is none yet, resumes it otherwise, prints `started`, and prints the
 * finished run as JSON on its last line. With KILL_POINTS set it SIGKILLs itself at the first listed point it has not yet been
 * killed at (a marker file per point, written before the kill, remembers which).
 *
 * Env: FI_DATA_DIR, FI_LEDGER, FI_INVOCATIONS, FI_MARKERS, FI_KILL_POINTS (comma list), FI_STAGE_DELAY_MS.
 */
import { RunEngine, showRun, type RunInfo } from '../../engine/runs/index.ts';
import { RecordingAuditSink } from '../../engine/runs/testing/recording-audit-sink.ts';
import { Redactor } from '../../engine/secrets/redact.ts';
import { openStore } from '../../engine/store/database.ts';
import { insertProject, listProjects } from '../../engine/store/repositories/projects.ts';
import { ensureLocalIdentity } from '../../engine/store/repositories/workspaces.ts';
import { checkpointEvents, killPointsFromEnv, requiredEnv } from './kill-points.ts';
import { ledgerPipeline } from './ledger-pipeline.ts';
import { sql } from '../../engine/runs/statements.ts';

const env = requiredEnv;
const checkpoint = killPointsFromEnv();

const store = openStore(env('FI_DATA_DIR'));
const { db } = store;
const definition = ledgerPipeline({
  files: { ledger: env('FI_LEDGER'), invocations: env('FI_INVOCATIONS') },
  checkpoint,
  stageDelayMs: Number(process.env.FI_STAGE_DELAY_MS ?? 0),
});
const engine = new RunEngine({
  db,
  definitions: [definition],
  audit: new RecordingAuditSink(),
  redactor: new Redactor(),
  workers: 2,
});

checkpointEvents(engine, db, checkpoint);

const identity = ensureLocalIdentity(db, {
  email: 'fault@example.test',
  displayName: 'Fault Injection',
});
const projectId =
  listProjects(db, identity.workspace.id)[0]?.id ??
  insertProject(db, {
    workspaceId: identity.workspace.id,
    name: 'ledger-app',
    repoUrl: 'file:///repos/ledger-app',
  }).id;

engine.start();
process.stdout.write('started\n');
const existing = sql(
  db,
  'SELECT id FROM runs WHERE project_id = ? ORDER BY submit_seq LIMIT 1',
).get(projectId) as { id: string } | undefined;
const runId =
  existing?.id ??
  engine.submit({ projectId, kind: 'apply', actor: { user: identity.userId } }).runId;

for await (const _event of engine.events.stream(runId)) {
  // Drained only to learn when the run has finished.
}
const run: RunInfo = showRun(db, runId);
await engine.stop();
store.close();
process.stdout.write(`${JSON.stringify(run)}\n`);
