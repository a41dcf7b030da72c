/**
 * The local environments a sprint or a release left running (issue 14): each is an HAProxy and
 * a Prometheus on 127.0.0.1 plus the app's containers, kept between processes on purpose. Users
 * list them and tear them down here. Part of the contract: zod only.
 */
import { z } from 'zod';
import { defineOperation } from './operation.ts';
import { releasesCreate } from './releases.contract.ts';

/** An environment name such as prod: the rule releases use, so every name a release made fits. */
const EnvironmentName = releasesCreate.input.shape.environment.unwrap();

const Daemon = z.object({ pid: z.number().int().nullable(), running: z.boolean() });

export const EnvironmentInfo = z.object({
  projectId: z.string(),
  environment: z.string(),
  /** Where clients reach it (HAProxy's frontend). */
  url: z.string(),
  prometheusUrl: z.string(),
  createdAt: z.string(),
  /** The Docker Engine its containers run on, as a DOCKER_HOST value. */
  dockerHost: z.string(),
  daemons: z.object({ haproxy: Daemon, prometheus: Daemon }),
});
export type EnvironmentInfo = z.infer<typeof EnvironmentInfo>;

export const environmentsList = defineOperation({
  name: 'environments.list',
  summary:
    'Local environments (HAProxy, Prometheus, containers) left running by sprints and releases',
  input: z.object({}).strict(),
  output: z.object({ environments: z.array(EnvironmentInfo) }),
  http: { method: 'GET', path: '/environments' },
});

export const environmentsStop = defineOperation({
  name: 'environments.stop',
  summary:
    "Stop a project's local environment, or all of them: containers removed, daemons stopped, state deleted (audited)",
  input: z
    .object({
      projectId: z.string().min(1),
      /** Omitted: every environment of the project. */
      environment: EnvironmentName.optional(),
      /** Also delete the backing services' data volumes (databases, queues); kept otherwise. */
      deleteData: z.boolean().default(false),
    })
    .strict(),
  output: z.object({
    projectId: z.string(),
    stopped: z.array(
      z.object({
        environment: z.string(),
        stoppedPids: z.array(z.number().int()),
        removedContainers: z.number().int(),
        /** Data volumes deleted (only with deleteData). */
        removedVolumes: z.array(z.string()),
        /** What could not be done (e.g. the engine did not answer); empty when all went well. */
        warnings: z.array(z.string()),
      }),
    ),
  }),
  // The environment goes in the body: a path segment cannot be optional in the HTTP binding.
  http: { method: 'POST', path: '/environments/:projectId/stop' },
});
