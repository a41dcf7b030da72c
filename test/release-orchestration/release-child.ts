/**
 * The engine process the crash test kills: opens the data dir, wires the release run to the
 * test's real stack, submits the release unless the store already has one (then it resumes
 * it), prints `started`, and prints the finished run as JSON on its last line. Every
 * setTraffic call is appended to RC_TRAFFIC_LOG first, so the test sees each one the engine made.
 *
 * Env: RC_DATA_DIR, RC_PROJECT_ID, RC_DOCKER_SOCKET, RC_HAPROXY_SOCKET, RC_BACKEND, RC_PROM_URL,
 * RC_STACK_PROJECT, RC_INPUT (JSON), RC_TRAFFIC_LOG.
 */
import { appendFileSync } from 'node:fs';
import Docker from 'dockerode';
import { releaseRun } from '../../engine/agents/release/index.ts';
import { RunEngine, isTerminal, showRun } from '../../engine/runs/index.ts';
import { RecordingAuditSink } from '../../engine/runs/testing/recording-audit-sink.ts';
import { Redactor } from '../../engine/secrets/redact.ts';
import { openStore } from '../../engine/store/database.ts';
import { DockerTarget } from '../../engine/targets/docker/docker-target.ts';
import { HaproxyRouter } from '../../engine/targets/docker/haproxy/router.ts';
import { HaproxyRuntimeApi } from '../../engine/targets/docker/haproxy/runtime-api.ts';
import { PrometheusHealth } from '../../engine/targets/health/prometheus.ts';
import type { TrafficWeights } from '../../engine/targets/target.ts';
import { APP_PORT } from '../release/release-stack.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const store = openStore(env('RC_DATA_DIR'));
const target = new DockerTarget({
  docker: new Docker({ socketPath: env('RC_DOCKER_SOCKET') }),
  project: env('RC_STACK_PROJECT'),
  environment: 'prod',
  router: new HaproxyRouter({
    api: new HaproxyRuntimeApi({ socketPath: env('RC_HAPROXY_SOCKET'), timeoutMs: 2000 }),
    backend: env('RC_BACKEND'),
  }),
  health: new PrometheusHealth({ url: env('RC_PROM_URL') }),
  appPort: APP_PORT,
});
const setTraffic = target.setTraffic.bind(target);
target.setTraffic = (weights: TrafficWeights) => {
  appendFileSync(env('RC_TRAFFIC_LOG'), `${JSON.stringify(weights)}\n`);
  return setTraffic(weights);
};

const audit = new RecordingAuditSink();
const engine = new RunEngine({
  db: store.db,
  definitions: [
    releaseRun({ db: store.db, audit, target, gate: () => ({ allow: true, deny: [] }) }),
  ],
  audit,
  redactor: new Redactor(),
});
engine.start();
const existing = store.db.prepare(`SELECT id FROM runs WHERE kind = 'release'`).get() as
  { id: string } | undefined;
const runId =
  existing?.id ??
  engine.submit({
    projectId: env('RC_PROJECT_ID'),
    kind: 'release',
    input: JSON.parse(env('RC_INPUT')) as unknown,
    actor: { user: 'tester' },
  }).runId;
process.stdout.write(`started\n`);

const deadline = Date.now() + 120_000;
const timer = setInterval(() => {
  const info = showRun(store.db, runId);
  if (!isTerminal(info.status) && Date.now() < deadline) return;
  clearInterval(timer);
  void engine.stop().then(() => {
    process.stdout.write(`${JSON.stringify(info)}\n`);
    store.close();
    process.exit(isTerminal(info.status) ? 0 : 1);
  });
}, 200);
