/**
 * The apply run on the real run engine and store, judged by the real policy engine with the
 * repository's own packs (policies/), against a scripted toolkit: a test double of the local
 * toolkit (engine/runtime/local-toolkit.ts, the PipelineToolkit contract) whose measurements a
 * test states, so every gate verdict can be written as given / when / then. The measuring
 * stages' real components have their own integration tests.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateGate } from '../../../policy/gates/evaluate.ts';
import type { GateInput } from '../../../policy/gates/input.ts';
import { readPackDir } from '../../../policy/gates/pack-files.ts';
import { loadPack } from '../../../policy/gates/pack.ts';
import { showRun, stageOutputs, type RunInfo } from '../../../runs/index.ts';
import { engineHarness, type Harness } from '../../../runs/testing/engine-harness.ts';
import type { ApplyRequest } from '../apply-input.ts';
import { applyRun } from '../apply-run.ts';
import type {
  PerfResult,
  PipelineToolkit,
  ScanResult,
  SmokeResult,
  TestsResult,
  VulnsResult,
} from '../toolkit.ts';

const POLICIES = fileURLToPath(new URL('../../../../policies/', import.meta.url));

/** What the scripted toolkit measures; anything not given is a healthy, passing measurement. */
export interface Given {
  tests?: Partial<TestsResult>;
  vulns?: VulnsResult['findings'];
  configFindings?: ScanResult['findings'];
  perf?: Partial<PerfResult>;
  waivers?: GateInput['waivers'];
  /** The smoke checks' answers, one per attempt; the last repeats. */
  smoke?: number[];
  environment?: string;
}

export interface PipelineOutcome {
  run: RunInfo;
  outputs: Record<string, unknown>;
  /** The toolkit methods called, in order (what reached the real world). */
  calls: string[];
  /** The stage the run stopped at, with its reason and remedy, when it did not finish. */
  stopped: { stage: string; status: string; reason: string } | null;
}

const HEALTHY_TESTS: TestsResult = {
  command: 'npm test',
  runner: 'local/node:base',
  exitCode: 0,
  passed: 12,
  failed: 0,
  failures: [],
  linesPct: 92.5,
  coverageFormat: 'lcov',
  datastores: null,
};

function scriptedToolkit(given: Given, calls: string[]): PipelineToolkit {
  const smoke = [...(given.smoke ?? [200])];
  return {
    async commitArtifacts() {
      calls.push('commit');
      return { branch: 'prodsprint/blueprint-v1', commit: 'c0ffee', pushed: false, files: 3 };
    },
    async buildImage() {
      calls.push('build');
      return { image: 'prodsprint/app:v1', imageId: 'sha256:1', baseImage: 'local/node:base' };
    },
    async runTests() {
      calls.push('tests');
      return { ...HEALTHY_TESTS, ...given.tests };
    },
    async generateSbom() {
      calls.push('sbom');
      return {
        path: '/sbom.json',
        sha256: 'a',
        format: 'CycloneDX 1.6',
        components: 40,
        problems: [],
      };
    },
    async scanVulnerabilities() {
      calls.push('vulns');
      return { findings: given.vulns ?? [], advisoriesKnown: 10, undetermined: 0 };
    },
    async scanConfiguration() {
      calls.push('config-scan');
      return { scanner: 'trivy config', findings: given.configFindings ?? [] };
    },
    async measurePerformance() {
      calls.push('perf');
      return {
        generator: 'autocannon',
        routes: [],
        p95Ms: 12,
        errorRate: 0,
        ...given.perf,
      };
    },
    async policyContext() {
      return { waivers: given.waivers ?? [], freezeWindows: [] };
    },
    async evaluatePolicy(step, gateInput) {
      calls.push('policy');
      const decisions = [];
      for (const name of step.input.packs) {
        const pack = loadPack(await readPackDir(join(POLICIES, name)));
        decisions.push({ pack: name, ...evaluateGate(pack, gateInput) });
      }
      return decisions;
    },
    async deployStaging(step) {
      calls.push('staging');
      return {
        environment: step.input.stagingEnvironment,
        url: 'http://127.0.0.1:9',
        version: 'v1',
      };
    },
    async smoke(): Promise<SmokeResult> {
      calls.push('smoke');
      const status = smoke.length > 1 ? smoke.shift()! : smoke[0]!;
      return { checks: [{ path: '/healthz', status, ok: status < 400 }] };
    },
    now: () => new Date('2026-11-10T12:00:00Z'),
  };
}

/** An approved blueprint's apply, as pipelines.apply submits it (baseline pack, staging). */
function applyRequest(given: Given): ApplyRequest {
  return {
    blueprintId: 'bp_1',
    planHash: 'a'.repeat(64),
    version: 'v1',
    branch: 'prodsprint/blueprint-v1',
    service: { name: 'api', path: '.', port: 8080, healthPath: '/healthz' },
    coverageMin: null,
    perfBudget: { p95Ms: 300, errorRate: 0.01 },
    cost: { monthly: 40, ceiling: 500, currency: 'USD' },
    approvals: [{ who: 'usr_reviewer', role: 'release-manager', at: '2026-11-10T11:00:00Z' }],
    packs: ['baseline'],
    stagingEnvironment: given.environment ?? 'staging',
  };
}

/** Runs one apply with the given measurements to its end (retries included) and reports it. */
export async function applyWith(given: Given): Promise<PipelineOutcome> {
  const calls: string[] = [];
  const harness: Harness = engineHarness([applyRun({ toolkit: scriptedToolkit(given, calls) })]);
  try {
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'apply',
      actor: { user: 'usr_operator' },
      input: applyRequest(given),
    });
    await harness.settle();
    while (await harness.nextTimer()) {
      // Retry timers (smoke looks again) move the manual clock; nothing else waits.
    }
    const run = showRun(harness.test.store.db, runId);
    const stoppedStage = run.stages.find((s) => s.status === 'blocked' || s.status === 'error');
    return {
      run,
      outputs: stageOutputs(harness.test.store.db, runId),
      calls,
      stopped: stoppedStage
        ? {
            stage: stoppedStage.name,
            status: stoppedStage.status,
            reason: stoppedStage.reason ?? '',
          }
        : null,
    };
  } finally {
    await harness.dispose();
  }
}
