import type { Db } from '../../store/database.ts';
import { getProject, type Project } from '../../store/repositories/projects.ts';
import { ProblemError } from '../problem.ts';

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
