/**
 * The CI/CD facts of a plan, gathered before anything renders (issue 15): per service, what its
 * test jobs run (ci-toolchain.ts), the datastores they need (ci-services.ts) and whether the
 * repository's own CI already runs its tests (existing-ci.ts); per plan, the branch pipelines
 * trigger on and how a release reaches the target with the commands the CLI really has. Every
 * choice that leaves something out or substitutes something goes into the plan's notes.
 */
import type { BlueprintInputs } from '../../contract/blueprints.contract.ts';
import type { Fingerprint, Service } from '../repo-auditor/fingerprint.ts';
import { ciServicesOf, type CiService } from './ci-services.ts';
import { ciToolchainOf, type CiToolchain } from './ci-toolchain.ts';
import { repoCiFiles, testsRunBy, type CiSystem } from './existing-ci.ts';
import type { RepoFiles } from './repo-files.ts';
import type { ServiceView } from './service-view.ts';

export interface SystemJobs {
  unit: boolean;
  integration: boolean;
  /** The repository's file that already runs the tests, or '' when none does. */
  reused: string;
}

export interface ServiceCi {
  toolchain: CiToolchain | null;
  services: CiService[];
  env: Record<string, string>;
  github: SystemJobs;
  gitlab: SystemJobs;
}

export type DeployKind = 'prodsprint' | 'kubernetes' | 'none';

export interface PlanCi {
  defaultBranch: string;
  /** How each service's releases reach the target, by slug. */
  deploy: Map<string, DeployKind>;
  services: Map<string, ServiceCi>;
  /** The repository's own .gitlab-ci.yml, if any (ProdSprint's pipeline becomes its child). */
  repoGitlabCi: { path: string; text: string } | null;
}

const KUBERNETES = new Set(['kubernetes', 'gke', 'eks']);
const FALLBACK_BRANCH = 'main';

/** The fingerprint's service a view was made from. */
function serviceOf(fingerprint: Fingerprint, view: ServiceView): Service | undefined {
  const dir = view.dir === '' ? '.' : view.dir.slice(0, -1);
  return fingerprint.services.find(
    (s) => s.name === view.name && (s.path.replace(/\/+$/, '') || '.') === dir,
  );
}

/**
 * The service `prodsprint release create` releases: the CLI takes no service, and the engine
 * releases the first service with a port, preferring one with a language
 * (engine/runtime/primary-service.ts, which this layer may not import).
 */
function primaryOf(fingerprint: Fingerprint): Service | undefined {
  const candidates = fingerprint.services.filter((s) => s.port);
  return candidates.find((s) => s.language) ?? candidates[0];
}

function jobsFor(
  toolchain: CiToolchain | null,
  reused: { path: string; line: string } | null,
): SystemJobs {
  const unit = toolchain?.unit != null && reused === null;
  return { unit, integration: unit && toolchain?.integration != null, reused: reused?.path ?? '' };
}

export async function planCi(
  files: RepoFiles,
  fingerprint: Fingerprint,
  views: ServiceView[],
  inputs: BlueprintInputs,
  images: Record<string, unknown>,
  notes: string[],
): Promise<PlanCi> {
  const branch = await files.checkoutBranch();
  if (!branch)
    notes.push(
      `CI triggers on ${FALLBACK_BRANCH}: the repository's default branch is not known (no checkout to read it from)`,
    );
  const ciFiles = await repoCiFiles(files, fingerprint);
  const built = views.filter((v) => v.toolchain !== null);
  const services = new Map<string, ServiceCi>();
  for (const view of built) {
    const service = serviceOf(fingerprint, view);
    if (!service) continue;
    const ctx = { files, service, dir: service.path, images };
    const toolchain = await ciToolchainOf(view.toolchain, ctx);
    const postgres = inputs.db?.engine === 'postgres' ? (inputs.db.version ?? null) : null;
    const backing = await ciServicesOf(files, service, fingerprint, images, postgres);
    const reused = (system: CiSystem) =>
      testsRunBy(ciFiles, system, view.toolchain!, service.path, built.length);
    const github = reused('github-actions');
    const gitlab = reused('gitlab-ci');
    for (const note of toolchain?.notes ?? []) notes.push(`${view.slug}: ${note}`);
    if (backing.reasons.length > 0 && toolchain?.unit)
      notes.push(
        `${view.slug}: CI test jobs get service containers for ${backing.reasons.join(', ')}`,
      );
    for (const found of [github, gitlab].filter((f) => f !== null))
      notes.push(
        `${view.slug}: ${found.path} already runs its tests (\`${found.line}\`); ProdSprint's pipeline does not repeat them, so the coverage gate has no report unless that job publishes one`,
      );
    services.set(view.slug, {
      toolchain,
      services: backing.services,
      env: backing.env,
      github: jobsFor(toolchain, github),
      gitlab: jobsFor(toolchain, gitlab),
    });
  }
  return {
    defaultBranch: branch ?? FALLBACK_BRANCH,
    deploy: deployKinds(fingerprint, views, inputs, notes),
    services,
    repoGitlabCi: await gitlabRoot(files, ciFiles),
  };
}

async function gitlabRoot(files: RepoFiles, ciFiles: Array<{ path: string; system: string }>) {
  const path = ciFiles.find((f) => f.system === 'gitlab-ci')?.path;
  const text = path ? await files.text(path) : null;
  return path && text !== null ? { path, text } : null;
}

/** How each service is released, and what the CLI cannot do, said in the notes. */
function deployKinds(
  fingerprint: Fingerprint,
  views: ServiceView[],
  inputs: BlueprintInputs,
  notes: string[],
): Map<string, DeployKind> {
  const kinds = new Map<string, DeployKind>();
  const primary = primaryOf(fingerprint);
  for (const view of views.filter((v) => v.toolchain !== null)) {
    if (KUBERNETES.has(inputs.target)) {
      kinds.set(view.slug, 'kubernetes');
    } else if (inputs.target === 'docker' && primary && serviceOf(fingerprint, view) === primary) {
      kinds.set(view.slug, 'prodsprint');
    } else {
      kinds.set(view.slug, 'none');
      notes.push(
        inputs.target === 'docker'
          ? `${view.slug}: no deploy jobs: \`prodsprint release create\` releases a project's primary service (${primary?.name ?? 'none'}) only; it has no option to name another`
          : `${view.slug}: no deploy jobs: the CLI has no operation that releases to ${inputs.target} (\`prodsprint release create\` drives the Docker target); roll out the signed image with the infrastructure code`,
      );
    }
  }
  const kinds_ = [...kinds.values()];
  if (kinds_.includes('kubernetes'))
    notes.push(
      'CI deploys apply deploy/k8s/<env>/<service>/ with kubectl (secrets KUBECONFIG_STAGING, KUBECONFIG_PROD); the canary runs in the cluster (Argo Rollouts), not through `prodsprint release`, which releases to the Docker target only',
    );
  if (kinds_.includes('prodsprint')) {
    notes.push(
      'CI releases run `prodsprint release create` on a self-hosted runner labelled `prodsprint` on the ProdSprint host (the CLI works on its local data dir; it has no client for a remote `prodsprint serve`); set the CI variable PRODSPRINT_PROJECT to the project id',
    );
    if (inputs.strategy === 'rolling')
      notes.push(
        'rolling: the Docker target has no rolling update; CI releases there blue-green (all traffic moves once the new version is healthy)',
      );
  }
  if (views.some((v) => v.toolchain !== null))
    notes.push(
      "CI policy gates evaluate `prodsprint policy eval <pack> --input gate-input.json` on what the run measured (.prodsprint/gate-input.mjs); the CLI has no command that adds the project's approvals, waivers, freeze windows, audit settings and IaC summary, so rules on those deny in CI until it has one",
    );
  return kinds;
}
