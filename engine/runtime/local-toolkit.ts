/**
 * The apply run's toolkit on this workstation (issue 10): the project's imported checkout, the
 * local Docker Engine (started when needed), images built from host runtimes (nothing pulled),
 * the imported OSV data, the bundled Trivy, autocannon, the policy packs, and the local staging
 * environment (HAProxy + Prometheus in front of the containers).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type Docker from 'dockerode';
import { healthCheckOf, type ApplyInput } from '../agents/pipeline/apply-input.ts';
import type { PipelineToolkit, StagingResult, StepContext } from '../agents/pipeline/toolkit.ts';
import { chooseLoadGenerator, loadRouteWith } from '../agents/perf/index.ts';
import { waitUntil } from '../system/daemon.ts';
import { runBuildStage } from './apply/build-stage.ts';
import { runTestsStage } from './apply/tests-stage.ts';
import { Fingerprint, type Service } from '../agents/repo-auditor/index.ts';
import { generateSbom } from '../agents/security/sbom/generate-sbom.ts';
import { scanMisconfigurations } from '../agents/security/trivy/misconfig-scan.ts';
import { locateTrivy } from '../agents/security/trivy/trivy-binary.ts';
import { matchSbom } from '../agents/security/vulns/match-vulns.ts';
import { countAdvisories } from '../agents/security/vulns/osv-store.ts';
import { fromPurl } from '../agents/security/vulns/package-key.ts';
import type { AuditLog } from '../audit/index.ts';
import { commitFilesToBranch } from '../git/index.ts';
import { evaluateGate } from '../policy/gates/evaluate.ts';
import { listActiveWaivers } from '../policy/waivers/index.ts';
import type { Redactor } from '../secrets/redact.ts';
import { dataDirLayout } from '../store/data-dir.ts';
import type { Db } from '../store/database.ts';
import { getBlueprint, insertArtifact } from '../store/repositories/blueprints.ts';
import { getProject } from '../store/repositories/projects.ts';
import {
  ensureNetwork,
  ensureVersionContainer,
  listInstances,
  removeContainer,
} from '../targets/docker/containers.ts';
import {
  failingStatusFrom,
  isHealthyStatus,
  probePath,
  type HealthCheck,
} from '../targets/health-check.ts';
import { loadPolicyPack } from './policy-packs.ts';
import type { LocalEnvironments } from './local-environments.ts';

export interface LocalToolkitOptions {
  db: Db;
  dataDir: string;
  /** Where mirror credential references (env:NAME) are read. */
  env: NodeJS.ProcessEnv;
  projectRoot: string;
  redactor: Redactor;
  audit: () => AuditLog;
  docker: () => Promise<Docker>;
  environments: LocalEnvironments;
}

const RUNTIME_OF: Record<string, 'node' | 'python'> = {
  javascript: 'node',
  typescript: 'node',
  python: 'python',
};

export function localToolkit(options: LocalToolkitOptions): PipelineToolkit {
  const layout = dataDirLayout(options.dataDir);
  const checkoutOf = (projectId: string) => join(layout.repos, projectId);
  const runDir = (runId: string) => join(layout.artifacts, 'runs', runId);

  const projectOf = (projectId: string) => {
    const project = getProject(options.db, projectId);
    if (!project) throw new Error(`project ${projectId} is missing`);
    return project;
  };
  const serviceOf = (projectId: string, input: ApplyInput): Service => {
    const fingerprint = Fingerprint.parse(projectOf(projectId).fingerprint);
    const service = fingerprint.services.find((s) => s.name === input.service.name);
    if (!service) throw new Error(`service ${input.service.name} is not in the fingerprint`);
    return service;
  };
  const runtimeOf = (service: Service) => {
    const runtime = RUNTIME_OF[service.language?.value ?? ''];
    if (!runtime) {
      throw new Error(
        `no local runtime image for ${service.language?.value ?? 'an unknown language'}; the local target builds node and python services`,
      );
    }
    return runtime;
  };
  /** The plan's artifacts, each checked against the digest the approved plan hash covers. */
  const blueprintFiles = async (input: ApplyInput) => {
    const blueprint = getBlueprint(options.db, input.blueprintId);
    if (!blueprint) throw new Error(`blueprint ${input.blueprintId} is missing`);
    if (blueprint.planHash !== input.planHash)
      throw new Error(`blueprint ${blueprint.id} no longer has the approved plan hash`);
    const stored = (blueprint.summary as { artifacts: Array<{ path: string; sha256: string }> })
      .artifacts;
    const dir = join(layout.artifacts, 'blueprints', blueprint.id);
    return Promise.all(
      stored.map(async (artifact) => {
        const content = await readFile(join(dir, artifact.path), 'utf8');
        const digest = createHash('sha256').update(content).digest('hex');
        if (digest !== artifact.sha256) {
          throw new Error(
            `artifact ${artifact.path} of ${blueprint.id} was changed after approval (sha256 ${digest}, approved ${artifact.sha256})`,
          );
        }
        return { path: artifact.path, content };
      }),
    );
  };
  const recordArtifact = (
    step: StepContext,
    kind: string,
    path: string,
    content: string,
    mediaType: string,
  ) => {
    insertArtifact(options.db, {
      projectId: step.projectId,
      blueprintId: step.input.blueprintId,
      kind,
      path,
      sha256: createHash('sha256').update(content).digest('hex'),
      size: Buffer.byteLength(content),
      mediaType,
    });
  };

  return {
    now: () => new Date(),

    async commitArtifacts(step) {
      const files = await blueprintFiles(step.input);
      const project = projectOf(step.projectId);
      step.progress(`committing ${files.length} artifacts to ${step.input.branch}`);
      const remote = /^https?:\/\//.test(project.repoUrl) ? { url: project.repoUrl } : undefined;
      const result = await commitFilesToBranch({
        repoDir: checkoutOf(step.projectId),
        branch: step.input.branch,
        files,
        message: `ProdSprint: apply blueprint ${step.input.blueprintId}\n\nPlan hash ${step.input.planHash}.`,
        author: { name: 'ProdSprint', email: 'prodsprint@localhost' },
        ...(remote ? { remote } : {}),
      });
      return {
        branch: result.branch,
        commit: result.commit,
        pushed: result.pushed,
        files: files.length,
      };
    },

    async buildImage(step) {
      return runBuildStage(step, {
        db: options.db,
        dataDir: options.dataDir,
        env: options.env,
        redactor: options.redactor,
        audit: options.audit,
        docker: options.docker,
        repoDir: checkoutOf(step.projectId),
        service: serviceOf(step.projectId, step.input),
        tag: `prodsprint/${slugOf(projectOf(step.projectId).name)}:${step.input.version}`,
        planFiles: () => blueprintFiles(step.input),
      });
    },

    async runTests(step, build) {
      const project = projectOf(step.projectId);
      return runTestsStage(step, build, {
        db: options.db,
        env: options.env,
        redactor: options.redactor,
        dataDir: options.dataDir,
        docker: options.docker,
        repoDir: checkoutOf(step.projectId),
        service: serviceOf(step.projectId, step.input),
        fingerprint: Fingerprint.parse(project.fingerprint),
        testTag: `prodsprint-test/${slugOf(project.name)}:${step.input.version}`,
      });
    },

    async generateSbom(step) {
      const project = projectOf(step.projectId);
      const dir = join(checkoutOf(step.projectId), step.input.service.path);
      const sbom = await generateSbom(dir, {
        project: { name: project.name, version: step.input.version },
      });
      const json = withRuntimeComponent(
        sbom.json,
        runtimeOf(serviceOf(step.projectId, step.input)),
      );
      const out = join(runDir(step.runId), 'sbom.cdx.json');
      await mkdir(runDir(step.runId), { recursive: true });
      await writeFile(out, json);
      recordArtifact(step, 'sbom', 'sbom.cdx.json', json, 'application/vnd.cyclonedx+json');
      return {
        path: out,
        sha256: createHash('sha256').update(json).digest('hex'),
        format: 'CycloneDX 1.6',
        components: sbom.components + 1,
        problems: sbom.problems.map((p) => `${p.path}: ${p.message}`),
      };
    },

    async scanVulnerabilities(_step, sbom) {
      const known = countAdvisories(options.db);
      const result = matchSbom(options.db, await readFile(sbom.path, 'utf8'));
      const findings = result.findings.map((finding) => ({
        id: finding.id,
        severity: gateSeverity(finding.severity),
        // The name a person upgrades (`jinja2`), not the purl: remedies read "Upgrade jinja2 to …".
        package: packageNameOf(finding.purl),
        installed: finding.installedVersion,
        fixed: finding.fixedVersions[0] ?? null,
      }));
      return {
        // No advisories imported at all: a scan against nothing cannot be shown clean.
        findings: known === 0 ? null : findings,
        advisoriesKnown: known,
        undetermined: result.undetermined.length,
      };
    },

    async scanConfiguration(step) {
      const trivy = locateTrivy();
      if (!trivy.found) throw new Error(`${trivy.reason}; ${trivy.remediation}`);
      const cacheDir = await mkdtemp(join(tmpdir(), 'prodsprint-trivy-'));
      const context = await buildContext(step);
      try {
        const findings = await scanMisconfigurations(
          { binary: trivy.path, cacheDir, redactor: options.redactor, signal: step.signal },
          context,
        );
        return {
          scanner: 'trivy config',
          findings: findings.map((f) => ({
            id: f.id,
            severity: f.severity,
            file: f.file,
            title: f.title,
          })),
        };
      } finally {
        await rm(cacheDir, { recursive: true, force: true });
        await rm(context, { recursive: true, force: true });
      }
    },

    async measurePerformance(step, build) {
      const docker = await options.docker();
      const scope = { project: step.projectId, environment: `perf-${step.runId.slice(-8)}` };
      const network = `ps-perf-${step.runId.slice(-8)}`;
      await ensureNetwork(docker, scope, network);
      try {
        const placed = await ensureVersionContainer(docker, {
          scope,
          spec: { version: step.input.version, image: build.image, env: serviceEnv(step.input) },
          replica: 0,
          port: step.input.service.port,
          network,
        });
        const baseUrl = `http://${placed.address}:${step.input.service.port}`;
        const health = healthCheckOf(step.input.service);
        await waitHealthy(baseUrl, health, step.signal);
        const routes = [probePath(health)];
        // k6 when the machine has it (the plan's scripts are k6); otherwise autocannon, said so.
        const generator = chooseLoadGenerator();
        if (generator.kind === 'autocannon') step.progress(generator.reason);
        const results = [];
        for (const path of routes) {
          step.progress(`load on ${path} for ${step.input.perfLoad.durationSeconds} s`);
          results.push(
            await loadRouteWith(generator, {
              baseUrl,
              path,
              durationSeconds: step.input.perfLoad.durationSeconds,
              connections: step.input.perfLoad.connections,
              failingStatusFrom: failingStatusFrom(health),
              signal: step.signal,
            }),
          );
        }
        const measured = results.filter((r) => r.requests > 0);
        return {
          generator: results[0]?.generator ?? 'autocannon',
          routes: results.map((r) => ({
            route: r.route,
            requests: r.requests,
            p95Ms: r.p95Ms,
            errorRate: r.errorRate,
          })),
          p95Ms: measured.length ? Math.max(...measured.map((r) => r.p95Ms)) : null,
          errorRate: measured.length ? Math.max(...measured.map((r) => r.errorRate)) : null,
        };
      } finally {
        for (const instance of await listInstances(docker, scope))
          await removeContainer(docker, instance.id);
        await docker
          .getNetwork(network)
          .remove()
          .catch(() => undefined);
      }
    },

    async policyContext(step) {
      const waivers = listActiveWaivers(options.db, { projectId: step.projectId }).map((w) => ({
        rule: w.rule,
        subject: w.subject,
        expiresAt: w.expiresAt,
        approver: w.approver,
        reason: w.reason,
      }));
      return { waivers, freezeWindows: [] };
    },

    async evaluatePolicy(step, gateInput) {
      const decisions = [];
      for (const name of step.input.packs) {
        const pack = await loadPolicyPack(options.projectRoot, name);
        decisions.push({ pack: name, ...evaluateGate(pack, gateInput) });
      }
      return decisions;
    },

    async deployStaging(step, build): Promise<StagingResult> {
      const environment = await options.environments.open(
        step.projectId,
        step.input.stagingEnvironment,
        step.input.service,
      );
      const spec = { version: step.input.version, image: build.image, env: serviceEnv(step.input) };
      step.progress(`deploying ${build.image} to ${step.input.stagingEnvironment}`);
      await environment.target.deploy(spec);
      await environment.target.promote(step.input.version);
      for (const version of Object.keys(await environment.target.traffic())) {
        if (version !== step.input.version) await environment.target.retire(version);
      }
      return {
        environment: step.input.stagingEnvironment,
        url: environment.url,
        version: step.input.version,
      };
    },

    async smoke(step, staging) {
      const health = healthCheckOf(step.input.service);
      const checks = [];
      for (const path of [probePath(health)]) {
        const response = await fetch(new URL(path, staging.url), {
          signal: AbortSignal.timeout(5000),
        }).catch(() => undefined);
        await response?.arrayBuffer();
        const status = response?.status ?? 0;
        checks.push({ path, status, ok: response ? isHealthyStatus(health, status) : false });
      }
      return { checks };
    },
  };

  /**
   * The service directory with the plan's Dockerfile and .dockerignore added where the repo has
   * none, in a throwaway copy: the user's checkout is never written to (invariant 3).
   */
  async function buildContext(step: StepContext): Promise<string> {
    const source = resolve(checkoutOf(step.projectId), step.input.service.path);
    const context = await mkdtemp(join(tmpdir(), 'prodsprint-build-'));
    await cp(source, context, {
      recursive: true,
      filter: (path) =>
        !/(^|\/)(\.git|node_modules|__pycache__|coverage)(\/|$)/.test(path.slice(source.length)),
    });
    const files = await blueprintFiles(step.input);
    const prefix = step.input.service.path ? `${step.input.service.path}/` : '';
    for (const name of ['Dockerfile', '.dockerignore']) {
      const generated = files.find((f) => f.path === `${prefix}${name}`);
      if (generated && !existsSync(join(context, name)))
        await writeFile(join(context, name), generated.content);
    }
    return context;
  }
}

/**
 * The image's runtime is a component too: lockfiles list only the libraries, and a service with
 * none (orders-api uses Node's standard library only) still ships a Node or Python runtime that
 * advisories can name. The local base image is built from the host's runtime, so its version is
 * this machine's.
 */
function withRuntimeComponent(json: string, runtime: 'node' | 'python'): string {
  const bom = JSON.parse(json) as { components?: unknown[] };
  const version =
    runtime === 'node'
      ? process.versions.node
      : execFileSync('python3', ['-c', 'import platform; print(platform.python_version())'], {
          encoding: 'utf8',
        }).trim();
  const name = runtime === 'node' ? 'node' : 'python';
  bom.components = [
    ...(bom.components ?? []),
    {
      type: 'platform',
      'bom-ref': `runtime:${name}@${version}`,
      name,
      version,
      purl: `pkg:generic/${name}@${version}`,
      description: `runtime of the local base image local/${runtime}:base`,
    },
  ];
  return `${JSON.stringify(bom, null, 2)}\n`;
}

/** `pkg:pypi/jinja2@3.1.2` → `jinja2`; `pkg:npm/%40scope/name@1` → `@scope/name`. */
function packageNameOf(purl: string): string {
  return fromPurl(purl)?.name ?? purl;
}

const GATE_SEVERITY = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  none: 'LOW',
  unknown: 'UNKNOWN',
} as const;

/** OSV severities as the gate input spells them; `none` (CVSS 0.0) is the lowest it has. */
function gateSeverity(severity: keyof typeof GATE_SEVERITY) {
  return GATE_SEVERITY[severity];
}

function serviceEnv(input: ApplyInput): Record<string, string> {
  return { PORT: String(input.service.port) };
}

function slugOf(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '') || 'app'
  );
}

/** Until the service answers its probe path as its health check wants (2xx, or < 500). */
async function waitHealthy(baseUrl: string, health: HealthCheck, signal: AbortSignal) {
  const url = new URL(probePath(health), baseUrl).toString();
  let last = 'no answer';
  await waitUntil(
    async () => {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
        await response.arrayBuffer();
        const healthy = isHealthyStatus(health, response.status);
        if (!healthy) last = `HTTP ${response.status}`;
        return healthy;
      } catch (error) {
        last = (error as Error).message;
        return false;
      }
    },
    30_000,
    () => `${url} did not become healthy within 30 s (${last})`,
    250,
    signal,
  );
}
