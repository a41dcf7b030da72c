import { Fingerprint } from '../../agents/repo-auditor/index.ts';
import { primaryService, type PrimaryService } from '../../runtime/primary-service.ts';
import type { Db } from '../../store/database.ts';
import { getProject, type Project } from '../../store/repositories/projects.ts';
import { ProblemError } from '../../contract/problem.ts';

/** The project an operation names, or the not-found Problem every handler answers with. */
export function requireProject(db: Db, projectId: string): Project {
  const project = getProject(db, projectId);
  if (!project) {
    throw ProblemError.of('not-found', {
      detail: `no project ${projectId}`,
      remedy: 'list projects with `prodsprint projects`',
    });
  }
  return project;
}

/**
 * The project's fingerprint and the service a release deploys, or the conflict Problem saying
 * what is missing (no audit yet, no port, no health endpoint) and how to fix it.
 */
export function requirePrimaryService(
  project: Project,
  answers: Record<string, string> = {},
): {
  fingerprint: Fingerprint;
  service: PrimaryService;
} {
  const fingerprint = Fingerprint.safeParse(project.fingerprint);
  const primary = fingerprint.success ? primaryService(fingerprint.data, answers) : undefined;
  if (!fingerprint.success || !primary?.ok) {
    throw ProblemError.of('conflict', {
      detail: primary && !primary.ok ? primary.reason : `project ${project.id} has no fingerprint`,
      remedy:
        primary && !primary.ok
          ? primary.remedy
          : `audit it first with \`prodsprint audit ${project.id}\``,
    });
  }
  return { fingerprint: fingerprint.data, service: primary.service };
}
