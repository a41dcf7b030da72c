/**
 * The policy gate's input document built from what the apply run measured (INPUT.md). Pure: the
 * same measurements give the same document, so the decision replays from the audit bundle.
 * A measurement that did not happen stays null and the pack decides what that means.
 */
import type { GateInput } from '../../policy/gates/input.ts';
import type { ApplyInput } from './apply-input.ts';
import type { PerfResult, SbomResult, ScanResult, TestsResult, VulnsResult } from './toolkit.ts';

export interface Measurements {
  time: Date;
  environment: string;
  author: string | null;
  tests: TestsResult;
  sbom: SbomResult;
  vulns: VulnsResult;
  perf: PerfResult;
  /** The configuration scan; null when it did not run. */
  config: ScanResult | null;
  /** Waivers in force for the project and change freezes of the environment. */
  waivers: GateInput['waivers'];
  freezeWindows: GateInput['freezeWindows'];
}

export function gateInputOf(input: ApplyInput, measured: Measurements): GateInput {
  return {
    time: measured.time.toISOString(),
    environment: measured.environment,
    change: { reference: `blueprint:${input.blueprintId}`, author: measured.author },
    coverage: {
      linesPct: measured.tests.linesPct,
      threshold: input.coverageMin,
      thresholdSource: input.coverageMin === null ? 'pack' : 'project',
    },
    sbom: {
      present: measured.sbom.problems.length === 0,
      format: measured.sbom.format,
      components: measured.sbom.components,
    },
    vulns: measured.vulns.findings,
    perf: {
      p95Ms: measured.perf.p95Ms,
      errorRate: measured.perf.errorRate,
      budget: input.perfBudget,
    },
    cost: input.cost,
    approvals: input.approvals,
    freezeWindows: measured.freezeWindows,
    waivers: measured.waivers,
    audit: { retentionDays: null, signed: true },
    iac: null,
    config: measured.config,
  };
}
