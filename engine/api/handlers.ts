import { ProblemError } from '../contract/problem.ts';
import type { OperationName, OutputOf, ParsedInputOf } from '../contract/operations.contract.ts';
import { operations } from '../contract/operations.contract.ts';
import type { HandlerContext } from './handler-context.ts';
import { auditHandlers } from './handlers/audit.ts';
import { blueprintHandlers } from './handlers/blueprints.ts';
import { configHandlers } from './handlers/config.ts';
import { environmentHandlers } from './handlers/environments.ts';
import { imageHandlers } from './handlers/images.ts';
import { policyHandlers } from './handlers/policy.ts';
import { projectHandlers } from './handlers/projects.ts';
import { runHandlers } from './handlers/runs.ts';
import { toolHandlers } from './handlers/tools.ts';
import { pipelineHandlers } from './handlers/pipelines.ts';
import { releaseHandlers } from './handlers/releases.ts';
import { securityHandlers } from './handlers/security.ts';
import { sprintHandlers } from './handlers/sprints.ts';
import { systemHandlers } from './handlers/system.ts';

export type Handler<N extends OperationName> = (
  input: ParsedInputOf<N>,
  ctx: HandlerContext,
) => Promise<OutputOf<N>>;
export type HandlerTable = { [N in OperationName]?: Handler<N> };

/** Operations this build implements. Anything missing answers `not-implemented`, never a fake success. */
export const handlers: HandlerTable = {
  ...systemHandlers,
  ...projectHandlers,
  ...auditHandlers,
  ...runHandlers,
  ...blueprintHandlers,
  ...policyHandlers,
  ...toolHandlers,
  ...pipelineHandlers,
  ...releaseHandlers,
  ...securityHandlers,
  ...configHandlers,
  ...environmentHandlers,
  ...imageHandlers,
  ...sprintHandlers,
};

export function notImplemented(name: OperationName): ProblemError {
  const { issue } = operations[name] as { issue?: number };
  return ProblemError.of('not-implemented', {
    detail: `${name} is not implemented in this build of ProdSprint yet${issue ? ` (tracked as issue ${issue})` : ''}`,
    remedy: 'see which operations this build has',
    action: { operation: 'system.operations', input: {}, label: 'List operations' },
  });
}
