import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { auditRepository, Fingerprint } from '../../agents/repo-auditor/index.ts';
import {
  importRepository,
  isGitImportError,
  syncCheckout,
  type GitCredentials,
} from '../../git/index.ts';
import { newId } from '../../store/ids.ts';
import {
  findProjectByName,
  getProject,
  insertProject,
  listProjects,
  saveFingerprint,
  type Project,
} from '../../store/repositories/projects.ts';
import { dataDirLayout } from '../../store/data-dir.ts';
import { localIdentity } from './local-identity.ts';
import { requireProject } from './lookups.ts';
import type { HandlerContext } from '../handler-context.ts';
import type { HandlerTable } from '../handlers.ts';
import { ProblemError } from '../../contract/problem.ts';

function checkoutDir(ctx: HandlerContext, projectId: string): string {
  return join(dataDirLayout(ctx.dataDir).repos, projectId);
}

function requireCheckout(ctx: HandlerContext, project: Project): string {
  const dir = checkoutDir(ctx, project.id);
  if (!existsSync(dir)) {
    throw ProblemError.of('not-found', {
      detail: `the checkout of ${project.id} is missing (${dir})`,
      remedy: 'import the repository again with `prodsprint import`',
    });
  }
  return dir;
}

/**
 * Stores a fresh fingerprint with its audit entry, in one transaction (state and audit move
 * together), and returns the project as stored.
 */
function recordFingerprint(
  ctx: HandlerContext,
  project: Project,
  fingerprint: Fingerprint,
  action: 'project.audited' | 'project.synced',
  meta: Record<string, unknown> = {},
): Project {
  const { db } = ctx.store();
  const { sink } = ctx.audit();
  const identity = localIdentity(db);
  return db.transaction(() => {
    saveFingerprint(db, project.id, fingerprint);
    sink.append(db, {
      actor: { user: identity.userId },
      action,
      target: `project:${project.id}`,
      meta: {
        ...meta,
        services: fingerprint.services.map((service) => service.name),
        gaps: fingerprint.gaps.length,
      },
    });
    return getProject(db, project.id)!;
  })();
}

/** `env:NAME` → the credentials in that variable: `user:password`, or a token on its own. */
function resolveCredentials(
  ref: string | undefined,
  ctx: HandlerContext,
): GitCredentials | undefined {
  if (!ref) return undefined;
  const name = ref.slice('env:'.length);
  const value = ctx.env[name];
  if (!value) {
    throw ProblemError.of('validation-failed', {
      detail: `environment variable ${name} named by the credential reference is not set`,
      errors: [{ field: 'input.credentialRef', message: `${name} is not set` }],
      remedy: `export ${name}=<token> (or <user>:<password>) before running the import`,
    });
  }
  // The git layer registers the token or password it receives; this covers `user:password` whole.
  if (value.length >= 4) ctx.redactor.register(value);
  const colon = value.indexOf(':');
  return colon > 0
    ? { kind: 'basic', username: value.slice(0, colon), password: value.slice(colon + 1) }
    : { kind: 'token', token: value };
}

/** The repository's name from its URL or path: `…/team/shop.git` → `shop`. */
function nameFromSource(source: string): string {
  const last =
    source
      .replace(/[/\\]+$/, '')
      .split(/[/\\:]/)
      .pop() ?? 'project';
  const name = last
    .replace(/\.git$/, '')
    .replace(/[^a-z0-9._-]/gi, '-')
    .replace(/^[^a-z0-9]+/i, '');
  return (name || 'project').slice(0, 63);
}

function summarise(project: Project, fingerprint: Fingerprint | null) {
  return {
    projectId: project.id,
    name: project.name,
    repoUrl: project.repoUrl,
    branch: project.defaultBranch,
    services: fingerprint?.services.map((service) => service.name) ?? [],
    gaps: fingerprint?.gaps.length ?? 0,
    updatedAt: project.updatedAt,
  };
}

function storedFingerprint(project: Project): Fingerprint | null {
  const parsed = Fingerprint.safeParse(project.fingerprint);
  return parsed.success ? parsed.data : null;
}

function toImportProblem(error: unknown): unknown {
  if (!isGitImportError(error)) return error;
  if (error.kind === 'invalid-source') {
    return ProblemError.of('validation-failed', {
      detail: error.message,
      errors: [{ field: 'input.source', message: error.message }],
      remedy: error.remediation,
    });
  }
  return ProblemError.of('import-failed', {
    detail: `${error.kind}: ${error.message}`,
    remedy: error.remediation,
  });
}

export const projectHandlers: HandlerTable = {
  'projects.import': async (input, ctx) => {
    // Input problems first: a missing credential variable is reported before any state is read.
    const credentials = resolveCredentials(input.credentialRef, ctx);
    const { db } = ctx.store();
    const identity = localIdentity(db);
    const name = input.name ?? nameFromSource(input.source);
    const existing = findProjectByName(db, identity.workspace.id, name);
    if (existing) {
      throw ProblemError.of('conflict', {
        detail: `a project named ${name} already exists (${existing.id})`,
        remedy:
          'choose another name with --name, or audit the existing project again with `prodsprint audit`',
      });
    }
    const id = newId('prj');
    const dir = checkoutDir(ctx, id);
    try {
      ctx.logger.info('importing repository', { source: input.source, projectId: id });
      const imported = await importRepository({
        source: input.source,
        destDir: dir,
        branch: input.branch,
        credentials,
        redactor: ctx.redactor,
      });
      const fingerprint = await auditRepository(imported.dir);
      const { sink } = ctx.audit();
      const project = db.transaction(() => {
        const created = insertProject(db, {
          id,
          workspaceId: identity.workspace.id,
          name,
          repoUrl: imported.repoUrl,
          defaultBranch: imported.branch,
        });
        saveFingerprint(db, created.id, fingerprint);
        sink.append(db, {
          actor: { user: identity.userId },
          action: 'project.imported',
          target: `project:${created.id}`,
          meta: {
            name,
            repoUrl: imported.repoUrl,
            branch: imported.branch,
            commit: imported.commit,
            services: fingerprint.services.map((service) => service.name),
            gaps: fingerprint.gaps.length,
          },
        });
        return getProject(db, created.id)!;
      })();
      return { ...summarise(project, fingerprint), commit: imported.commit };
    } catch (error) {
      // The checkout is only kept for a project that was recorded.
      if (!getProject(db, id)) rmSync(dir, { recursive: true, force: true });
      throw toImportProblem(error);
    }
  },

  'projects.audit': async (input, ctx) => {
    const { db } = ctx.store();
    const project = requireProject(db, input.projectId);
    const dir = requireCheckout(ctx, project);
    const fingerprint = await auditRepository(dir);
    recordFingerprint(ctx, project, fingerprint, 'project.audited');
    return { projectId: project.id, fingerprint };
  },

  'projects.sync': async (input, ctx) => {
    const credentials = resolveCredentials(input.credentialRef, ctx);
    const { db } = ctx.store();
    const project = requireProject(db, input.projectId);
    const dir = requireCheckout(ctx, project);
    ctx.logger.info('syncing repository', { source: project.repoUrl, projectId: project.id });
    const synced = await syncCheckout({
      source: project.repoUrl,
      checkoutDir: dir,
      ...(project.defaultBranch ? { branch: project.defaultBranch } : {}),
      credentials,
      redactor: ctx.redactor,
    }).catch((error: unknown) => {
      throw toImportProblem(error);
    });
    const fingerprint = await auditRepository(dir);
    const updated = recordFingerprint(ctx, project, fingerprint, 'project.synced', {
      branch: synced.branch,
      previousCommit: synced.previousCommit,
      commit: synced.commit,
    });
    return {
      ...summarise(updated, fingerprint),
      commit: synced.commit,
      previousCommit: synced.previousCommit,
      changed: synced.changed,
    };
  },

  'projects.list': async (_input, ctx) => {
    const { db } = ctx.store();
    const identity = localIdentity(db);
    return {
      projects: listProjects(db, identity.workspace.id).map((project) =>
        summarise(project, storedFingerprint(project)),
      ),
    };
  },
};
