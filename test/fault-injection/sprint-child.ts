/**
 * The engine process the sprint fault-injection test kills: one sprint on the sprint harness
 * (real engine, store and release run; fake target, stand-in apply; system clock, 1-s canary
 * windows). Each traffic split the target is asked for is appended, fsync'd, to FI_LEDGER, so
 * the test sees every split any process applied. Each start opens the same data dir, submits
 * the sprint if there is none yet (it resumes otherwise), and SIGKILLs itself at the first
 * point of FI_KILL_POINTS it has not been killed at yet; the finished sprint is printed as JSON
 * on its last line.
 *
 * Env: FI_DATA_DIR, FI_LEDGER, FI_MARKERS, FI_KILL_POINTS (comma list).
 */
import { sprintHarness } from '../../engine/agents/sprint/testing/sprint-harness.ts';
import { checkpointEvents, killPointsFromEnv, requiredEnv } from './kill-points.ts';
import { appendDurably } from './ledger.ts';
import { showRun, stageOutputs } from '../../engine/runs/index.ts';
import { sql } from '../../engine/runs/statements.ts';
import { RecordingAuditSink } from '../../engine/runs/testing/recording-audit-sink.ts';
import { openStore } from '../../engine/store/database.ts';
import { insertProject, listProjects } from '../../engine/store/repositories/projects.ts';
import { ensureLocalIdentity } from '../../engine/store/repositories/workspaces.ts';

const env = requiredEnv;
const checkpoint = killPointsFromEnv();

const store = openStore(env('FI_DATA_DIR'));
const { db } = store;
const harness = sprintHarness({
  db,
  audit: new RecordingAuditSink(),
  workers: 4,
  resyncMs: 200,
  release: { analysisWindowSeconds: 1, settleSeconds: 0 },
  wrapTarget: (target) => ({
    ...target,
    setTraffic: async (weights) => {
      appendDurably(env('FI_LEDGER'), `traffic ${JSON.stringify(weights)}\n`);
      return target.setTraffic(weights);
    },
  }),
});
const { engine } = harness;

checkpointEvents(engine, db, checkpoint);

const identity = ensureLocalIdentity(db, { email: 'fault@example.test', displayName: 'Fault' });
const projectId =
  listProjects(db, identity.workspace.id)[0]?.id ??
  insertProject(db, {
    workspaceId: identity.workspace.id,
    name: 'sprint-app',
    repoUrl: 'file:///repos/sprint-app',
  }).id;

engine.start();
const existing = sql(db, `SELECT id FROM runs WHERE kind = 'sprint' LIMIT 1`).get() as
  { id: string } | undefined;
const sprintId =
  existing?.id ??
  engine.submit({
    projectId,
    kind: 'sprint',
    actor: { user: identity.userId },
    input: { selfApprove: true, windowSeconds: 1 },
  }).runId;

for await (const _event of engine.events.stream(sprintId)) {
  // Drained only to learn when the sprint has finished.
}
const sprint = { ...showRun(db, sprintId), outputs: stageOutputs(db, sprintId) };
await engine.stop();
store.close();
process.stdout.write(`${JSON.stringify(sprint)}\n`);
