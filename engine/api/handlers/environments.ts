/**
 * environments.list|stop over the local environments' state (engine/environments/local): a list
 * reads state files and PIDs (no probe, no Docker call); a stop removes the containers on the
 * engine recorded in the state, stops the daemons and deletes the state, then records what it
 * did as an audit entry (the state lives in files and the engine, so the entry follows the
 * change rather than sharing its transaction).
 */
import {
  listLocalEnvironments,
  stopLocalEnvironment,
  type LocalEnvironmentInfo,
} from '../../environments/local/index.ts';
import type { EnvironmentInfo } from '../../contract/environments.contract.ts';
import type { HandlerTable } from '../handlers.ts';
import { ProblemError } from '../../contract/problem.ts';
import { localIdentity } from './local-identity.ts';

function toInfo(environment: LocalEnvironmentInfo): EnvironmentInfo {
  return {
    projectId: environment.projectId,
    environment: environment.environment,
    url: environment.url,
    prometheusUrl: environment.prometheusUrl,
    createdAt: environment.createdAt,
    dockerHost: environment.dockerHost,
    daemons: { haproxy: environment.haproxy, prometheus: environment.prometheus },
  };
}

export const environmentHandlers: HandlerTable = {
  'environments.list': async (_input, ctx) => ({
    environments: (await listLocalEnvironments(ctx.dataDir)).map(toInfo),
  }),

  'environments.stop': async (input, ctx) => {
    const ofProject = (await listLocalEnvironments(ctx.dataDir)).filter(
      (environment) => environment.projectId === input.projectId,
    );
    const names = input.environment
      ? ofProject.filter((e) => e.environment === input.environment).map((e) => e.environment)
      : ofProject.map((e) => e.environment);
    if (input.environment && names.length === 0) {
      throw ProblemError.of('not-found', {
        detail: `there is no local environment ${input.environment} of ${input.projectId}`,
        remedy: 'list the environments that are running',
        action: { operation: 'environments.list', input: {}, label: 'List environments' },
      });
    }
    const { db } = ctx.store();
    const { sink } = ctx.audit();
    const identity = localIdentity(db);
    const stopped = [];
    for (const environment of names) {
      const report = await stopLocalEnvironment(ctx.dataDir, input.projectId, environment, {
        env: ctx.env,
        deleteData: input.deleteData,
      });
      // Another process may have stopped it since we listed it: nothing done, nothing to record.
      if (!report.found) continue;
      const result = {
        environment,
        stoppedPids: report.stoppedPids,
        removedContainers: report.removedContainers,
        removedVolumes: report.removedVolumes,
        warnings: report.warnings.map((warning) => ctx.redactor.redact(warning)),
      };
      db.transaction(() =>
        sink.append(db, {
          actor: { user: identity.userId },
          action: 'environment.stopped',
          target: `project:${input.projectId}`,
          meta: result,
        }),
      )();
      stopped.push(result);
    }
    return { projectId: input.projectId, stopped };
  },
};
