/**
 * Where a service's dependencies are installed from: the folder of its lockfile. For a member
 * of a pnpm/npm/yarn workspace that is the workspace root above the service folder, and a build
 * of the member needs that root as its context (the lockfile, the workspace file and the
 * sibling packages it depends on are all there). The plan's Dockerfile, its CI and the build
 * stage all ask this one function, so they agree on the context.
 */
import type { Service } from './fingerprint.ts';

/** The service folder, repository-relative, '.' for the root. */
export function serviceDirOf(service: Pick<Service, 'path'>): string {
  const dir = service.path.replace(/\/+$/, '');
  return dir === '' ? '.' : dir;
}

/** The lockfile's folder when it is the service folder or one above it, else the service folder. */
export function installRootOf(service: Pick<Service, 'path' | 'lockfile'>): string {
  const dir = serviceDirOf(service);
  const lockfile = service.lockfile?.value;
  if (!lockfile) return dir;
  const slash = lockfile.lastIndexOf('/');
  const root = slash < 0 ? '.' : lockfile.slice(0, slash);
  const above = root === '.' || dir === root || dir.startsWith(`${root}/`);
  return above ? root : dir;
}

/** `apps/web` inside `.` → `apps/web`; inside `apps/web` → ''; outside it → '' (not inside). */
export function folderInside(folder: string, root: string): string {
  if (folder === root) return '';
  if (root === '.') return folder;
  return folder.startsWith(`${root}/`) ? folder.slice(root.length + 1) : '';
}

/**
 * The context a generated Dockerfile is built with. Node workspace members build from the
 * workspace root (the Node template installs there and filters to the member); the other
 * templates copy the service folder's own manifests, so they build from it.
 */
export function generatedContextOf(
  service: Pick<Service, 'path' | 'lockfile' | 'language'>,
): string {
  const node = ['javascript', 'typescript'].includes(service.language?.value ?? '');
  return node ? installRootOf(service) : serviceDirOf(service);
}
