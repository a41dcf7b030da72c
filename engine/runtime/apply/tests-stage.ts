/**
 * The apply run's tests stage on the local Docker Engine (issues 10 and 14). A service's tests
 * run the way its CI would run them, in a throwaway container beside the databases they need:
 *
 * - a service built on ProdSprint's shell-less runtime images (the examples' BASE_IMAGE
 *   convention) runs its tests there, the repository copied in, as before;
 * - any other service gets a test image: the toolchain image its own build used (node:20,
 *   python:3.12, golang:…), the code, and the dependencies installed from its lockfile through
 *   the package mirror — then the planned command runs in it with the image's shell.
 *
 * A service with no tests is not a failure here: the stage says so, coverage stays unmeasured,
 * and the policy gate decides (a warning before production, a deny in it).
 */
import type Docker from 'dockerode';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServiceImage, planLegacyBuild } from '../../agents/build/index.ts';
import type { BuildResult, StepContext, TestsResult } from '../../agents/pipeline/toolkit.ts';
import type { Fingerprint, Service } from '../../agents/repo-auditor/index.ts';
import {
  percent,
  planTests,
  runTestsInContainer,
  type TestCommand,
} from '../../agents/test/index.ts';
import { offlineCauseWatcher } from '../../agents/test/offline-causes.ts';
import { planTestImage } from '../../agents/test/test-image.ts';
import { OfflineInputMissingError } from '../../system/offline-input.ts';
import { ensureRuntimeBaseImage } from '../../tools/base-images/index.ts';
import { resolveBaseImage } from '../../tools/base-images/resolve-base-image.ts';
import { startTestDatastores } from '../test-datastores.ts';
import { localRuntimeOf } from './local-runtime.ts';
import {
  buildBlocker,
  contextOverridesFor,
  ecosystemsOf,
  startRelayFor,
  type PackageAccessDeps,
} from './package-access.ts';

export interface TestsStageDeps extends PackageAccessDeps {
  dataDir: string;
  docker: () => Promise<Docker>;
  repoDir: string;
  service: Service;
  fingerprint: Fingerprint;
  /** `prodsprint-test/<project>:<version>`. */
  testTag: string;
}

const TIMEOUT_MS = 10 * 60_000;

/** The toolchain image a language's tests need when the build's images do not show one. */
const TOOLCHAIN_NAMES: Record<string, string[]> = {
  javascript: ['node'],
  typescript: ['node'],
  python: ['python'],
  go: ['golang'],
  java: ['maven', 'gradle', 'eclipse-temurin', 'openjdk', 'amazoncorretto'],
  kotlin: ['gradle', 'maven', 'eclipse-temurin', 'openjdk', 'amazoncorretto'],
};
const DEFAULT_TOOLCHAIN: Record<string, string> = {
  javascript: 'node:lts',
  typescript: 'node:lts',
  python: 'python:3',
  go: 'golang:1',
  java: 'maven:3-eclipse-temurin-17',
  kotlin: 'eclipse-temurin:17-jdk',
};

export async function runTestsStage(
  step: StepContext,
  build: BuildResult,
  deps: TestsStageDeps,
): Promise<TestsResult> {
  const plan = planTests(deps.service, deps.repoDir);
  if (!plan.ok) return notRun(`${plan.reason}; ${plan.remedy}`);
  const docker = await deps.docker();
  const local = localRuntimeOf(deps.service, build);
  const image = local
    ? { image: (await ensureRuntimeBaseImage(docker, local)).image, workdir: undefined }
    : await buildTestImage(docker, step, build, deps);
  if ('skipped' in image) return notRun(image.skipped);
  return runInContainer(docker, step, plan.command, image, deps);
}

async function runInContainer(
  docker: Docker,
  step: StepContext,
  command: TestCommand,
  image: { image: string; workdir: string | undefined },
  deps: TestsStageDeps,
): Promise<TestsResult> {
  const shown = [command.command, ...command.args].join(' ');
  const datastores = await startTestDatastores({
    docker,
    service: deps.service,
    fingerprint: deps.fingerprint,
    repoDir: deps.repoDir,
    redactor: deps.redactor,
    signal: step.signal,
    progress: (line) => step.progress(line),
  });
  try {
    if (datastores.migrationFailure) {
      return {
        ...notRun(null),
        command: shown,
        exitCode: 1,
        failures: [
          `the migrations do not apply on a fresh database: ${datastores.migrationFailure}`,
        ],
        datastores: datastores.description,
      };
    }
    step.progress(`running ${shown} in ${image.image}`);
    const offline = offlineCauseWatcher();
    const run = await runTestsInContainer({
      docker,
      repoDir: deps.repoDir,
      plan: command,
      image: image.image,
      redactor: deps.redactor,
      timeoutMs: TIMEOUT_MS,
      signal: step.signal,
      onOutput: (line) => {
        offline.see(line);
        step.progress(line);
      },
      ...(image.workdir ? { prepared: { workdir: image.workdir } } : {}),
      ...(datastores.network ? { network: datastores.network } : {}),
      ...(datastores.env ? { env: datastores.env } : {}),
      ...(datastores.files ? { files: datastores.files } : {}),
    });
    // Failed for want of something offline (Prisma's engines), not because the code is wrong.
    const missing = run.exitCode === 0 ? null : offline.cause();
    if (missing) throw missing;
    return {
      command: shown,
      runner: `container ${image.image}`,
      exitCode: run.exitCode ?? 1,
      passed: run.testsPassed,
      failed: run.testsFailed,
      failures: run.failedTests.length > 0 ? run.failedTests : run.outputTail.slice(-5),
      linesPct: run.coverage ? percent(run.coverage.lines) : null,
      coverageFormat: run.coverage?.format ?? null,
      datastores: datastores.description,
      skipped: null,
    };
  } finally {
    await datastores.stop();
  }
}

/** The toolchain image + code + dependencies, built through the package relay. */
async function buildTestImage(
  docker: Docker,
  step: StepContext,
  build: BuildResult,
  deps: TestsStageDeps,
): Promise<{ image: string; workdir: string } | { skipped: string }> {
  const toolchain = await toolchainImage(docker, step, build, deps);
  const planned = planTestImage(deps.service, deps.repoDir, toolchain);
  if (!planned.ok) return { skipped: `tests not run: ${planned.reason}` };
  const { plan } = planned;
  const scratch = await mkdtemp(join(tmpdir(), 'prodsprint-test-image-'));
  const notes: string[] = [];
  try {
    const dockerfile = join(scratch, 'Dockerfile');
    await writeFile(dockerfile, plan.dockerfile);
    await writeFile(`${dockerfile}.dockerignore`, plan.dockerignore);
    const first = planLegacyBuild(plan.dockerfile);
    const relay = await startRelayFor(ecosystemsOf(first), docker, deps, step, notes);
    try {
      const mirrorArgs: Record<string, string> = { ...relay?.buildArgs };
      const translated = planLegacyBuild(plan.dockerfile, {
        buildArgs: mirrorArgs,
        injectArgs: Object.keys(mirrorArgs).filter((name) => !plan.mirrorArgs.includes(name)),
      });
      for (const note of notes) step.progress(note);
      step.progress(`test image ${deps.testTag}: ${plan.install} on ${toolchain}`);
      await buildServiceImage({
        docker,
        contextDir: join(deps.repoDir, plan.context),
        dockerfile,
        tag: deps.testTag,
        plan: translated,
        ...(relay ? { networkMode: relay.network } : {}),
        contextOverrides: contextOverridesFor(join(deps.repoDir, plan.context), relay),
        labels: { 'prodsprint.project': step.projectId, 'prodsprint.run': step.runId },
        redact: (line) => deps.redactor.redact(line),
        onProgress: (line) => step.progress(line),
      }).catch((error: unknown) => {
        throw buildBlocker(error, translated, relay);
      });
      return { image: deps.testTag, workdir: plan.workdir };
    } finally {
      await relay?.stop();
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The image the build itself used for the service's language (its build stage, usually the
 * first FROM), else that language's default toolchain resolved like any base image.
 */
async function toolchainImage(
  docker: Docker,
  step: StepContext,
  build: BuildResult,
  deps: TestsStageDeps,
): Promise<string> {
  const language = deps.service.language?.value ?? '';
  const names = TOOLCHAIN_NAMES[language] ?? [];
  const used = (build.baseImages ?? []).find((image) =>
    names.includes(repositoryName(image.requested)),
  );
  if (used) return used.image;
  const fallback = DEFAULT_TOOLCHAIN[language];
  if (!fallback)
    throw new OfflineInputMissingError(
      { kind: 'runtime', name: language || 'unknown language' },
      `ProdSprint has no toolchain image for ${language || 'this service'}'s tests`,
      'Run the tests in your CI; the plan proposes the job. Coverage then reaches the gate from its report.',
    );
  const resolved = await resolveBaseImage(docker, fallback, {
    dataDir: deps.dataDir,
    redactor: deps.redactor,
    signal: step.signal,
    onProgress: (line) => step.progress(line),
  });
  return resolved.image;
}

/** `docker.io/library/node:20-slim@sha256:…` → `node`. */
function repositoryName(reference: string): string {
  const last = reference.split('@')[0]!.split('/').pop() ?? '';
  return last.split(':')[0] ?? '';
}

function notRun(reason: string | null): TestsResult {
  return {
    command: '(none)',
    runner: 'none',
    exitCode: 0,
    passed: null,
    failed: null,
    failures: [],
    linesPct: null,
    coverageFormat: null,
    datastores: null,
    skipped: reason,
  };
}
