/**
 * The service a single-service release deploys: the first one the auditor found with a port,
 * preferring the repository's own code over a proxy or static front it also builds (a service
 * with no language is an nginx or a vendor image). Its port comes from the fingerprint's
 * evidence: a service without one cannot be routed to, so the caller gets the reason instead of
 * a guess. A missing health route does not stop it (issue 14): the release falls back to a TCP
 * readiness check and says so in a warning whose remedy is the route to add.
 */
import type { Fingerprint } from '../agents/repo-auditor/index.ts';
import {
  isDeployedRole,
  portAnswer,
  portQuestionId,
  slugOf,
} from '../agents/blueprint/service-view.ts';
import { TCP_FALLBACK, type HealthCheck } from '../targets/health-check.ts';

export interface PrimaryService {
  name: string;
  path: string;
  port: number;
  /** The path smoke tests and synthetic users ask: the health route, or `/` for the fallback. */
  healthPath: string;
  health: HealthCheck;
  language: string | null;
  /** Set when the health check is the weaker TCP fallback: why, and what to add. */
  healthWarning: { reason: string; remedy: string } | null;
}

export type PrimaryServiceResult =
  { ok: true; service: PrimaryService } | { ok: false; reason: string; remedy: string };

/**
 * `answers` are the approved plan's answers to its questions (BlueprintInputs.answers): a port
 * a person confirmed (`<service slug>.port`) stands in for one the repository does not state.
 */
export function primaryService(
  fingerprint: Fingerprint,
  answers: Record<string, string> = {},
): PrimaryServiceResult {
  const portOf = (service: Fingerprint['services'][number]): number | null => {
    if (service.port) return service.port.value;
    return portAnswer(answers[portQuestionId(slugOf(service.name))]);
  };
  const candidates = fingerprint.services.filter(
    (service) => portOf(service) !== null && isDeployedRole(service.role?.value),
  );
  const service = candidates.find((s) => s.language) ?? candidates[0];
  if (!service) {
    return {
      ok: false,
      reason: 'no service with a listening port was found in the repository',
      remedy:
        "answer the plan's port question (`prodsprint plan <project> --answer <service>.port=<port>`) and approve that plan, or make the port visible to the auditor (EXPOSE in the Dockerfile, a PORT default in the code) and audit again",
    };
  }
  const route = service.healthEndpoint?.value;
  const health: HealthCheck = route ? { kind: 'http', path: route } : TCP_FALLBACK;
  return {
    ok: true,
    service: {
      name: service.name,
      path: service.path === '.' ? '' : service.path,
      port: portOf(service)!,
      healthPath: health.path,
      health,
      language: service.language?.value ?? null,
      healthWarning: route
        ? null
        : {
            reason: `service ${service.name} has no health route the auditor could find: releases check that its port accepts connections and that GET / answers below 500`,
            remedy:
              'add a GET /healthz route that answers 200 when the service can serve (the plan proposes one), then audit again',
          },
    },
  };
}
