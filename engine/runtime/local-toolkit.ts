/**
 * The apply run's toolkit on this workstation (issue 10): the project's imported checkout, the
 * local Docker Engine (started when needed), images built from host runtimes (nothing pulled),
 * the imported OSV data, the bundled Trivy, autocannon, the policy packs, and the local staging
 * environment (HAProxy + Prometheus in front of the containers).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type Docker from 'dockerode';
import { healthCheckOf, type ApplyInput } from '../agents/pipeline/apply-input.ts';
import type {
  BuildResult,
  PipelineToolkit,
  StagingResult,
  StepContext,
} from '../agents/pipeline/toolkit.ts';
import { runBuildStage } from './apply/build-stage.ts';
import { runTestsStage } from './apply/tests-stage.ts';
import { runPerfStage } from './apply/perf-stage.ts';
import { environmentRuntime } from './environment-runtime.ts';
import { localRuntimeOf } from './apply/local-runtime.ts';
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
import { BlueprintInputs } from '../contract/blueprints.contract.ts';
import { isHealthyStatus, probePath } from '../targets/health-check.ts';
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
        planRegistry: BlueprintInputs.parse(
          getBlueprint(options.db, step.input.blueprintId)?.inputs,
        ).mirror.registry,
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

    async generateSbom(step, build) {
      const project = projectOf(step.projectId);
      const dir = join(checkoutOf(step.projectId), step.input.service.path);
      const sbom = await generateSbom(dir, {
        project: { name: project.name, version: step.input.version },
      });
      const json = withBaseComponents(sbom.json, build, serviceOf(step.projectId, step.input));
      const out = join(runDir(step.runId), 'sbom.cdx.json');
      await mkdir(runDir(step.runId), { recursive: true });
      await writeFile(out, json);
      recordArtifact(step, 'sbom', 'sbom.cdx.json', json, 'application/vnd.cyclonedx+json');
      return {
        path: out,
        sha256: createHash('sha256').update(json).digest('hex'),
        format: 'CycloneDX 1.6',
        components: (JSON.parse(json) as { components?: unknown[] }).components?.length ?? 0,
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

    async scanConfiguration(step, build) {
      const trivy = locateTrivy();
      if (!trivy.found) throw new Error(`${trivy.reason}; ${trivy.remediation}`);
      const cacheDir = await mkdtemp(join(tmpdir(), 'prodsprint-trivy-'));
      // The Dockerfile that was built, at its repository path so findings name it.
      const scanned = await mkdtemp(join(tmpdir(), 'prodsprint-config-scan-'));
      try {
        const file = build.dockerfileFile ?? 'Dockerfile';
        const text =
          build.dockerfileText ??
          (await readFile(join(checkoutOf(step.projectId), file), 'utf8').catch(() => ''));
        await mkdir(join(scanned, dirname(file)), { recursive: true });
        await writeFile(join(scanned, file), text);
        const findings = await scanMisconfigurations(
          { binary: trivy.path, cacheDir, redactor: options.redactor, signal: step.signal },
          scanned,
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
        await rm(scanned, { recursive: true, force: true });
      }
    },

    async measurePerformance(step, build) {
      return runPerfStage(step, build, {
        docker: options.docker,
        redactor: options.redactor,
        repoDir: checkoutOf(step.projectId),
        service: serviceOf(step.projectId, step.input),
        fingerprint: Fingerprint.parse(projectOf(step.projectId).fingerprint),
      });
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
      const name = step.input.stagingEnvironment;
      const environment = await options.environments.open(step.projectId, name, step.input.service);
      // The backing services and variables every version of staging starts with; the deploy
      // computes them again (same values) so they are never stored with the run.
      const runtime = await environmentRuntime(
        { db: options.db, dataDir: options.dataDir, redactor: options.redactor },
        {
          docker: environment.target.docker,
          projectId: step.projectId,
          environment: name,
          network: environment.target.networkName,
        },
        { onProgress: (line) => step.progress(line), signal: step.signal },
      );
      const spec = { version: step.input.version, image: build.image, env: serviceEnv(step.input) };
      step.progress(`deploying ${build.image} to ${name}`);
      await environment.target.deploy(spec);
      await environment.target.promote(step.input.version);
      for (const version of Object.keys(await environment.target.traffic())) {
        if (version !== step.input.version) await environment.target.retire(version);
      }
      return {
        environment: name,
        url: environment.url,
        version: step.input.version,
        backing: runtime.backing,
        warnings: runtime.warnings,
      };
    },

    async smoke(step, staging) {
      const health = healthCheckOf(step.input.service);
      const checks = [];
      for (const path of [probePath(health)]) {
        // HAProxy gives a server 30 s; 15 s here leaves room for a retry within that.
        const response = await fetch(new URL(path, staging.url), {
          signal: AbortSignal.timeout(15_000),
        }).catch(() => undefined);
        await response?.arrayBuffer();
        const status = response?.status ?? 0;
        checks.push({ path, status, ok: response ? isHealthyStatus(health, status) : false });
      }
      return { checks };
    },
  };
}

/**
 * The image's runtime is a component too: lockfiles list only the libraries, and a service with
 * none (orders-api uses Node's standard library only) still ships a runtime that advisories can
 * name. On ProdSprint's runtime images (the examples) that is this machine's Node or Python; on
 * any other build, each base image the build resolved, with what really stood in for it.
 */
function withBaseComponents(json: string, build: BuildResult, service: Service): string {
  const bom = JSON.parse(json) as { components?: unknown[] };
  const local = localRuntimeOf(service, build);
  const components = local
    ? [runtimeComponent(local)]
    : (build.baseImages ?? []).map((image) => ({
        type: 'container',
        'bom-ref': `base-image:${image.requested}`,
        name: image.requested,
        version: image.requested.split('@')[0]!.split(':')[1] ?? 'latest',
        description: image.actual
          ? `stand-in built here: ${image.actual}`
          : `base image (${image.source})`,
      }));
  bom.components = [...(bom.components ?? []), ...components];
  return `${JSON.stringify(bom, null, 2)}\n`;
}

function runtimeComponent(runtime: 'node' | 'python') {
  const version =
    runtime === 'node'
      ? process.versions.node
      : execFileSync('python3', ['-c', 'import platform; print(platform.python_version())'], {
          encoding: 'utf8',
        }).trim();
  return {
    type: 'platform',
    'bom-ref': `runtime:${runtime}@${version}`,
    name: runtime,
    version,
    purl: `pkg:generic/${runtime}@${version}`,
    description: `runtime of the local base image local/${runtime}:base`,
  };
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
