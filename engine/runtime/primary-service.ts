/**
 * The service a single-service release deploys: the first one the auditor found with a port.
 * Its port and health path come from the fingerprint's evidence; a service without them cannot
 * be routed to or health-checked, so the caller gets the reason instead of a guess.
 */
import type { Fingerprint } from '../agents/repo-auditor/index.ts';

export interface PrimaryService {
  name: string;
  path: string;
  port: number;
  healthPath: string;
  language: string | null;
}

export type PrimaryServiceResult =
  { ok: true; service: PrimaryService } | { ok: false; reason: string; remedy: string };

export function primaryService(fingerprint: Fingerprint): PrimaryServiceResult {
  const candidates = fingerprint.services.filter((service) => service.port);
  const service = candidates[0];
  if (!service) {
    return {
      ok: false,
      reason: 'no service with a listening port was found in the repository',
      remedy:
        'make the port visible to the auditor (EXPOSE in the Dockerfile, or a PORT default in the code) and audit again',
    };
  }
  if (!service.healthEndpoint) {
    return {
      ok: false,
      reason: `service ${service.name} has no health endpoint the auditor could find`,
      remedy: 'add a GET /healthz (or /health) route that answers 200, and audit again',
    };
  }
  return {
    ok: true,
    service: {
      name: service.name,
      path: service.path === '.' ? '' : service.path,
      port: service.port!.value,
      healthPath: service.healthEndpoint.value,
      language: service.language?.value ?? null,
    },
  };
}
