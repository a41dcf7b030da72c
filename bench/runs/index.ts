/**
 * bench/runs: what the durable run engine costs per step. Prints readable lines, then one
 * JSON line {"bench":"runs",...}. Run: node bench/runs/index.ts [runs=500]
 *
 * - transition overhead: runs of a 20-stage chain of no-op stages, one after another on one
 *   worker; every stage transition is a reconcile pass, an IMMEDIATE transaction with its
 *   audit entry and event, and the publish, so wall time / transitions is the engine's own
 *   cost per step.
 * - no-op runs per second: many 3-stage no-op runs across 50 projects on 4 workers.
 * Wall and CPU time are both reported: on a shared machine the wall clock also measures the
 * neighbours. The audit sink is the in-connection recording one; the signed chain adds its own
 * cost (an Ed25519 signature per entry).
 */
import { performance } from 'node:perf_hooks';
import { RunEngine, type RunDefinition } from '../../engine/runs/index.ts';
import { RecordingAuditSink } from '../../engine/runs/testing/recording-audit-sink.ts';
import { openTestStore, type TestStore } from '../../engine/runs/testing/test-store.ts';
import { Redactor } from '../../engine/secrets/redact.ts';

const noop = () => null;

function chain(kind: RunDefinition['kind'], length: number): RunDefinition {
  return {
    kind,
    stages: Array.from({ length }, (_, index) => ({
      name: `s${index}`,
      needs: index ? [`s${index - 1}`] : [],
      run: noop,
    })),
  };
}

async function timeRuns(
  test: TestStore,
  definition: RunDefinition,
  workers: number,
  projects: string[],
  runs: number,
) {
  const engine = new RunEngine({
    db: test.store.db,
    definitions: [definition],
    audit: new RecordingAuditSink(),
    redactor: new Redactor(),
    workers,
    queueCapacity: runs + 1,
    onError: (error) => {
      throw error;
    },
  });
  let finished = 0;
  let allDone: () => void;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  engine.events.subscribeAll((event) => {
    if (event.stage === null && event.status === 'done' && ++finished === runs) allDone();
  });
  engine.start();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  for (let n = 0; n < runs; n++)
    engine.submit({
      projectId: projects[n % projects.length]!,
      kind: definition.kind,
      actor: { user: 'bench' },
    });
  await done;
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  await engine.stop();
  // CPU time as well as wall time: on a shared machine the wall clock measures the neighbours.
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const runCount = Number(process.argv[2] ?? 500);
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const test = openTestStore();
try {
  const projects = Array.from({ length: 50 }, () => test.project());
  // Warm-up: JIT and SQLite page cache, so the first figures are not start-up costs.
  await timeRuns(test, chain('rollback', 20), 1, projects, 5);

  // 10 runs of a 20-stage chain on one project run one after another (one run per project and
  // kind at a time), so every transition is on the critical path.
  const chainLength = 20;
  const chainRuns = 10;
  const transitions = chainRuns * (chainLength * 2 + 2);
  const chainSamples: Array<{ ms: number; cpuMs: number }> = [];
  for (let i = 0; i < 3; i++) {
    chainSamples.push(
      await timeRuns(test, chain('release', chainLength), 1, projects.slice(0, 1), chainRuns),
    );
  }
  const chainMs = median(chainSamples.map((sample) => sample.ms));
  const transitionUs = (chainMs * 1000) / transitions;
  const transitionCpuUs = (median(chainSamples.map((sample) => sample.cpuMs)) * 1000) / transitions;
  console.log(
    `stage transition overhead: ${transitionUs.toFixed(1)} µs wall, ${transitionCpuUs.toFixed(1)} µs CPU (median of 3: ${transitions} transitions, ${chainRuns} runs × ${chainLength} stages in ${chainMs.toFixed(1)} ms, 1 worker)`,
  );

  const samples: Array<{ ms: number; cpuMs: number }> = [];
  for (let i = 0; i < 3; i++)
    samples.push(await timeRuns(test, chain('apply', 3), 4, projects, runCount));
  const runsMs = median(samples.map((sample) => sample.ms));
  const runsCpuMs = median(samples.map((sample) => sample.cpuMs));
  const runsPerSec = (runCount * 1000) / runsMs;
  const throughputUs = (runsMs * 1000) / (runCount * 8);
  const cpuRunsPerSec = (runCount * 1000) / runsCpuMs;
  console.log(
    `no-op runs: ${runsPerSec.toFixed(0)} runs/s (median of 3: ${runCount} runs × 3 stages across ${projects.length} projects in ${runsMs.toFixed(0)} ms, 4 workers)`,
  );
  console.log(
    `  = ${throughputUs.toFixed(1)} µs per transition under load (8 per run: 2 run + 6 stage); ${cpuRunsPerSec.toFixed(0)} runs per CPU-second`,
  );
  console.log(
    JSON.stringify({
      bench: 'runs',
      transitionOverheadUs: Number(transitionUs.toFixed(1)),
      transitionCpuUs: Number(transitionCpuUs.toFixed(1)),
      noopRunsPerSec: Number(runsPerSec.toFixed(1)),
      noopRunsPerCpuSec: Number(cpuRunsPerSec.toFixed(1)),
      transitionUsUnderLoad: Number(throughputUs.toFixed(1)),
      runs: runCount,
      stagesPerRun: 3,
      workers: 4,
      auditSink: 'recording',
      node: process.versions.node,
    }),
  );
} finally {
  test.dispose();
}
