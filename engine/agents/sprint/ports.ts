/**
 * What a sprint run needs from the rest of the engine. Each port is one operation of the
 * contract (the API layer wires them: engine/api/sprint-ports.ts), so a sprint does exactly what
 * a person doing the steps by hand, or the desktop wizard, would do, with the same validation
 * and the same audit entries; the agent itself imports no API module.
 */
import type { RunStatus } from '../../runs/index.ts';

export interface PlanQuestion {
  id: string;
  question: string;
  answer: string | null;
  candidates: Array<{ value: string; evidence: string }>;
}

export interface GeneratedPlan {
  blueprintId: string;
  version: number;
  planHash: string;
  artifacts: number;
  artifactsDir: string;
  questions: PlanQuestion[];
}

export interface PlanInputs {
  target: 'docker';
  costCeilingMonthly: number;
  answers?: Record<string, string>;
}

export interface Approval {
  approvalId: string;
  blueprintId: string;
  planHash: string;
  approver: string;
  selfApproval: boolean;
}

export interface ChildRun {
  status: RunStatus;
  stage: string | null;
  reason: string | null;
  stages: Array<{ name: string; status: string; reason: string | null }>;
}

export interface ReleaseState {
  releaseId: string;
  phase: string;
  trafficPercent: number;
  stableVersion: string | null;
  steps: number;
  decisions: Array<{ step: number; action: string; reason: string }>;
  rollbackReason: string | null;
}

export interface TrafficStats {
  requests: number;
  failures: number;
  connectionErrors: number;
}

export interface SprintPorts {
  generatePlan(projectId: string, inputs: PlanInputs): Promise<GeneratedPlan>;
  approve(
    plan: { blueprintId: string; planHash: string },
    selfApproval: boolean,
  ): Promise<Approval>;
  /**
   * The newest signed approval of a plan of this project at `minVersion` or later: the sprint's
   * own plan, or one a person made after it (answering the plan's questions re-plans).
   */
  approvalSince(projectId: string, minVersion: number): Approval | null;
  importAdvisories(source: string): Promise<{ stored: number; advisoriesKnown: number }>;
  apply(request: {
    projectId: string;
    blueprintId: string;
    approvalId: string;
    perfSeconds: number;
  }): Promise<{
    runId: string;
    version: string;
    branch: string;
    warnings: Array<{ subject: string; reason: string; remedy: string }>;
  }>;
  run(runId: string): Promise<ChildRun>;
  runOutputs(runId: string): Promise<Record<string, unknown>>;
  createRelease(request: {
    projectId: string;
    version: string;
    windowSeconds: number;
    approver: string;
  }): Promise<{ releaseId: string; runId: string }>;
  /** Null until the release run has recorded the release (its first stage does). */
  release(releaseId: string): Promise<ReleaseState | null>;
  /** Where users reach the project's prod environment on this machine, and the path to load. */
  prodEndpoint(projectId: string): Promise<{ url: string; path: string }>;
  /** Starts synthetic users against a local environment (127.0.0.1 only). */
  startTraffic(options: { url: string; path: string; ratePerSecond: number }): {
    stop(): Promise<TrafficStats>;
  };
  exportBundle(outFile: string): Promise<{ file: string }>;
  verifyBundle(file: string): Promise<{ ok: boolean; entries: number }>;
  /** Where bundles go when the sprint names no file. */
  bundlesDir: string;
}
