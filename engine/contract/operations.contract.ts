/**
 * The whole contract: every user-visible operation, declared once (invariant 1). Electron IPC,
 * HTTP /v1 and the CLI are adapters over this table; the renderer imports its types only.
 */
import type { z } from 'zod';
import { auditExport, auditVerify } from './audit.contract.ts';
import { blueprintsApprove, blueprintsGenerate, blueprintsGet } from './blueprints.contract.ts';
import { configGet, configList, configSet, configUnset } from './config.contract.ts';
import { dashboardsGet } from './dashboards.contract.ts';
import { environmentsList, environmentsStop } from './environments.contract.ts';
import { imagesList, imagesPublish } from './images.contract.ts';
import { pipelinesApply } from './pipelines.contract.ts';
import { policyEval, policyImport, policyList, policyTest } from './policy.contract.ts';
import { projectsAudit, projectsImport, projectsList, projectsSync } from './projects.contract.ts';
import { readinessGet } from './readiness.contract.ts';
import {
  releasesControl,
  releasesCreate,
  releasesGet,
  releasesList,
  releasesRollback,
} from './releases.contract.ts';
import { vulnsImport } from './security.contract.ts';
import { sprintsCancel, sprintsGet, sprintsList, sprintsStart } from './sprints.contract.ts';
import {
  runsCancel,
  runsDeadLetters,
  runsEvents,
  runsGet,
  runsList,
  runsOutputs,
  runsReplay,
} from './runs.contract.ts';
import { systemDoctor, systemInit, systemOperations, systemVersion } from './system.contract.ts';
import { toolsList, toolsLoad, toolsVerify } from './tools.contract.ts';

export const operations = {
  'system.version': systemVersion,
  'system.init': systemInit,
  'system.doctor': systemDoctor,
  'system.operations': systemOperations,
  'projects.import': projectsImport,
  'projects.audit': projectsAudit,
  'projects.list': projectsList,
  'projects.sync': projectsSync,
  'audit.export': auditExport,
  'audit.verify': auditVerify,
  'policy.list': policyList,
  'policy.test': policyTest,
  'policy.eval': policyEval,
  'policy.import': policyImport,
  'tools.list': toolsList,
  'tools.verify': toolsVerify,
  'tools.load': toolsLoad,
  'blueprints.generate': blueprintsGenerate,
  'blueprints.get': blueprintsGet,
  'blueprints.approve': blueprintsApprove,
  'pipelines.apply': pipelinesApply,
  'readiness.get': readinessGet,
  'releases.create': releasesCreate,
  'releases.get': releasesGet,
  'releases.list': releasesList,
  'releases.control': releasesControl,
  'releases.rollback': releasesRollback,
  'vulns.import': vulnsImport,
  'dashboards.get': dashboardsGet,
  'sprints.start': sprintsStart,
  'sprints.get': sprintsGet,
  'sprints.list': sprintsList,
  'sprints.cancel': sprintsCancel,
  'runs.get': runsGet,
  'runs.events': runsEvents,
  'runs.list': runsList,
  'runs.cancel': runsCancel,
  'runs.deadLetters': runsDeadLetters,
  'runs.replay': runsReplay,
  'runs.outputs': runsOutputs,
  'config.list': configList,
  'config.get': configGet,
  'config.set': configSet,
  'config.unset': configUnset,
  'environments.list': environmentsList,
  'environments.stop': environmentsStop,
  'images.list': imagesList,
  'images.publish': imagesPublish,
} as const;

export type Operations = typeof operations;
export type OperationName = keyof Operations;
/** What a caller may send (defaults not yet applied). */
export type InputOf<N extends OperationName> = z.input<Operations[N]['input']>;
/** What a handler receives (parsed, defaults applied). */
export type ParsedInputOf<N extends OperationName> = z.output<Operations[N]['input']>;
export type OutputOf<N extends OperationName> = z.output<Operations[N]['output']>;

export const operationNames = Object.keys(operations) as OperationName[];

export function isOperationName(name: string): name is OperationName {
  return Object.hasOwn(operations, name);
}
