/**
 * The repo auditor (issue 5): reads a repository through a FileTreeReader and returns its
 * fingerprint. auditTree is pure over the reader (no clock, no filesystem of its own, no
 * network), so the same tree always gives the same fingerprint; auditRepository binds it to a
 * directory on disk. Read-only: nothing is ever written.
 */
import { ev } from './evidence.ts';
import { FINGERPRINT_VERSION, Fingerprint } from './fingerprint.ts';
import { GapList } from './gap-list.ts';
import { FsTreeReader } from './fs-tree-reader.ts';
import {
  collectCiBuilds,
  collectCiConfigs,
  collectCompose,
  collectDockerfiles,
  collectHelmCharts,
  collectHelmProbes,
  collectK8sManifests,
  detectMonorepoTool,
} from './detect/infra.ts';
import { newBudget } from './detect/command-resolve.ts';
import { classifyCompose } from './detect/compose-roles.ts';
import { collectHelmWorkloads } from './detect/k8s-processes.ts';
import { collectManifests } from './detect/manifests.ts';
import { collectProcesses } from './detect/processes.ts';
import { findCommittedSecrets, reportK8sSecrets } from './detect/secrets.ts';
import { buildServices } from './detect/services.ts';
import { RepoView } from './repo-view.ts';
import type { FileTreeReader } from './tree-reader.ts';

export async function auditTree(reader: FileTreeReader): Promise<Fingerprint> {
  const view = new RepoView(reader, await reader.list());
  const gaps = new GapList();

  const manifests = await collectManifests(view, gaps);
  const dockerfiles = await collectDockerfiles(view);
  const compose = await collectCompose(view, gaps);
  const helmCharts = await collectHelmCharts(view, gaps);
  const k8s = await collectK8sManifests(view, helmCharts, gaps);
  const k8sManifests = k8s.manifests;
  const ciConfigs = await collectCiConfigs(view, gaps);
  const ciBuilds = await collectCiBuilds(view, ciConfigs);
  const helmProbes = await collectHelmProbes(view, helmCharts);
  const monorepoTool = await detectMonorepoTool(view);
  const budget = newBudget();
  const composeRoles = await classifyCompose(view, compose, dockerfiles, manifests, budget);
  const built = await buildServices({
    view,
    gaps,
    manifests,
    dockerfiles,
    compose,
    ciBuilds,
    k8s,
    helmProbes,
    composeRoles,
  });
  const topology = await collectProcesses({
    view,
    services: built,
    compose,
    composeRoles,
    k8s,
    helmWorkloads: await collectHelmWorkloads(view, helmCharts),
    budget,
  });
  const services = built.map((item) => ({
    ...item.service,
    role: topology.roles.get(item) ?? null,
  }));

  await findCommittedSecrets(view, [...view.readPaths()], gaps);
  reportK8sSecrets(k8sManifests, gaps);
  for (const entry of view.skipped) {
    if (entry.reason === 'symlink-outside-repo') {
      gaps.add(
        'symlink-outside-repo',
        null,
        `${entry.path} is a symlink pointing outside the repository (not followed)`,
        [ev(entry.path)],
      );
    }
  }
  if (ciConfigs.length === 0 && services.length > 0)
    gaps.add('no-ci', null, 'no CI configuration found', []);

  return Fingerprint.parse({
    version: FINGERPRINT_VERSION,
    services,
    composeFiles: compose.files,
    k8sManifests,
    helmCharts,
    ciConfigs,
    processes: topology.processes,
    monorepoTool,
    gaps: gaps.list(),
    stats: {
      files: view.files.length,
      filesRead: view.filesRead,
      skipped: view.skipped.map((entry) => ({ path: entry.path, reason: entry.reason })),
    },
  });
}

/** Audits a checked-out repository on disk (symlinks are never followed out of `dir`). */
export function auditRepository(dir: string): Promise<Fingerprint> {
  return auditTree(new FsTreeReader(dir));
}

/**
 * The stage as the run engine sees it: plan() is the audit itself and is read-only; the
 * auditor has no apply() because it changes nothing.
 */
export const repoAuditor = {
  stage: 'audit',
  plan: (input: { dir: string }): Promise<Fingerprint> => auditRepository(input.dir),
} as const;
