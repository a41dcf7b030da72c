/**
 * The composition root of runs (issues 9 and 10): one RunEngine per process with every run
 * definition wired to this workstation's real components. Handlers submit through it; only the
 * process that calls drive() (the desktop app, `prodsprint serve`, or a CLI command that waits
 * for its run) executes stages, and the engine's driver lock keeps that to one per data dir.
 */
import { applyRun } from '../agents/pipeline/apply-run.ts';
import {
  policyReleaseGate,
  releaseRun,
  rollbackRun,
  webhookNotifier,
  type ReleaseAgentOptions,
} from '../agents/release/index.ts';
import { Fingerprint } from '../agents/repo-auditor/index.ts';
import { sprintRun, type SprintPorts } from '../agents/sprint/index.ts';
import type { AuditLog } from '../audit/index.ts';
import { prepareHotfixBranch } from '../git/index.ts';
import { RunEngine } from '../runs/index.ts';
import type { Redactor } from '../secrets/redact.ts';
import { dataDirLayout } from '../store/data-dir.ts';
import type { Store } from '../store/database.ts';
import { approvedAnswers } from '../store/repositories/blueprints.ts';
import { getProject } from '../store/repositories/projects.ts';
import type { Logger } from '../telemetry/logger.ts';
import { localEnvironments, type LocalEnvironments } from './local-environments.ts';
import { localToolkit } from './local-toolkit.ts';
import { loadPolicyPack } from './policy-packs.ts';
import { primaryService } from './primary-service.ts';
import { environmentRuntime } from './environment-runtime.ts';
import { appliedVersion } from './release-evidence.ts';
import { readWebhookEndpoints } from './webhook-settings.ts';
import { join } from 'node:path';

export interface RunHostContext {
  dataDir: string;
  projectRoot: string;
  redactor: Redactor;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  store(): Store;
  audit(): AuditLog;
  /** What sprint runs call: operations of the contract, wired by the API layer. */
  sprintPorts(): SprintPorts;
}

export interface RunHost {
  readonly engine: RunEngine;
  readonly environments: LocalEnvironments;
  /** Makes this process the one that executes runs of the data dir. */
  drive(): void;
  /** Where clients reach a project's local environment (its HAProxy frontend), and its health path. */
  environmentUrl(
    projectId: string,
    environment: string,
  ): Promise<{ url: string; healthPath: string }>;
  stop(): Promise<void>;
}

export function createRunHost(ctx: RunHostContext): RunHost {
  const { db } = ctx.store();
  const runtimeDeps = { db, dataDir: ctx.dataDir, redactor: ctx.redactor };
  const environments = localEnvironments({
    dataDir: ctx.dataDir,
    env: ctx.env,
    runtime: async (projectId, environment, target) => {
      const { env, files } = await environmentRuntime(runtimeDeps, {
        docker: target.docker,
        projectId,
        environment,
        network: target.networkName,
      });
      return { env, files };
    },
  });

  const serviceOf = (projectId: string) => {
    const project = getProject(db, projectId);
    const fingerprint = Fingerprint.safeParse(project?.fingerprint);
    if (!fingerprint.success) throw new Error(`project ${projectId} has no fingerprint`);
    const primary = primaryService(fingerprint.data, approvedAnswers(db, projectId));
    if (!primary.ok) throw new Error(`${primary.reason}; ${primary.remedy}`);
    return primary.service;
  };

  const releaseOptions: ReleaseAgentOptions = {
    db,
    audit: ctx.audit().sink,
    target: async ({ projectId, environment }) =>
      (await environments.open(projectId, environment, serviceOf(projectId))).target,
    gate: policyReleaseGate({
      pack: () => loadPolicyPack(ctx.projectRoot, 'baseline'),
      evidence: (input) => appliedVersion(db, input.projectId, input.version)?.evidence ?? {},
    }),
    notify: webhookNotifier(() => readWebhookEndpoints(ctx.dataDir, ctx.env, ctx.redactor), {
      redactor: ctx.redactor,
    }),
    // Versions are the imported commits (pipelines.apply), so last known good is a git ref.
    hotfix: async (info) =>
      prepareHotfixBranch({
        repoDir: join(dataDirLayout(ctx.dataDir).repos, info.projectId),
        fromRef: info.goodVersion,
        releaseId: info.releaseId,
        version: info.version,
      }),
  };

  const engine = new RunEngine({
    db,
    audit: ctx.audit().sink,
    redactor: ctx.redactor,
    workers: 4,
    onError: (error) => ctx.logger.error('run engine error', { error: (error as Error).message }),
    definitions: [
      releaseRun(releaseOptions),
      rollbackRun(releaseOptions),
      sprintRun({ ports: () => ctx.sprintPorts() }),
      applyRun({
        toolkit: localToolkit({
          db,
          dataDir: ctx.dataDir,
          env: ctx.env,
          projectRoot: ctx.projectRoot,
          redactor: ctx.redactor,
          audit: ctx.audit,
          docker: () => environments.docker(),
          environments,
        }),
      }),
    ],
  });

  return {
    engine,
    environments,
    drive: () => engine.start(),
    async environmentUrl(projectId, environment) {
      const service = serviceOf(projectId);
      const opened = await environments.open(projectId, environment, service);
      return { url: opened.url, healthPath: service.healthPath };
    },
    async stop() {
      await engine.stop();
      await environments.close();
    },
  };
}
