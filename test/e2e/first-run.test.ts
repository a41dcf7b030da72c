/**
 * A first sprint of a repository the way users bring them (issue 14 acceptance), through the CLI
 * with real components: the shared dockerd, a Distribution registry as the registry mirror,
 * Verdaccio with htpasswd as the team's npm mirror, HAProxy and Prometheus. Everything on
 * 127.0.0.1.
 *
 * - A root-context, multi-stage Dockerfile whose `FROM node:20-bookworm-slim` is not on the
 *   engine: it comes through the registry mirror (a stand-in published there), and the audit
 *   chain records what stood in for it. Its npm dependency comes through the credentialed mirror;
 *   the credential appears in no image layer or history, no output, no database byte. The
 *   service has no health route: it is released with the TCP fallback and a warning.
 * - A Ruby service: blocked at the build with the remedy naming the missing image.
 */
import type Docker from 'dockerode';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SprintSummary } from '../../cli/sprint-summary.ts';
import { publishStandIns } from '../../engine/tools/base-images/publish.ts';
import { rootContextService, unsupportedRuntime } from '../fixtures/first-run-repos.ts';
import { stopEnvironments } from '../fixtures/stop-environments.ts';
import {
  registryUnavailable,
  startRegistry,
  type RegistryServer,
} from '../security/registry-server.ts';
import { runCli } from '../support/run-cli.ts';
import {
  acquireDockerEngine,
  dockerUnavailableReason,
  type DockerEngine,
} from '../support/infra/docker-engine.ts';
import { hostNpm, startVerdaccio, type RunningVerdaccio } from '../support/infra/verdaccio.ts';

const skipReason =
  dockerUnavailableReason() ??
  registryUnavailable() ??
  (hostNpm() ? undefined : 'no npm CLI on PATH to fill the test npm mirror');
if (skipReason && process.env.CI)
  throw new Error(`CI must run the first-run e2e, but: ${skipReason}`);
if (skipReason) console.warn(`skipping the first-run e2e: ${skipReason}`);

const NODE_IMAGE = 'node:20-bookworm-slim';
const USER = 'mirror-reader';
const PASSWORD = 'first-run-mirror-pw-4b1d9e';
const work = mkdtempSync(join(tmpdir(), 'prodsprint-first-run-'));
let engine: DockerEngine;
let registry: RegistryServer;
let npmMirror: RunningVerdaccio;
let dataDir: string;

beforeAll(async () => {
  if (skipReason) return;
  engine = await acquireDockerEngine();
  npmMirror = await startVerdaccio(USER, PASSWORD);
  registry = await startRegistry();
  // The team filled its registry mirror with ProdSprint's stand-in for the image, and the engine
  // does not have it: the build must come through the mirror.
  await publishStandIns(engine.docker, registry.url, [NODE_IMAGE]);
  await engine.docker
    .getImage(NODE_IMAGE)
    .remove()
    .catch(() => undefined);
  dataDir = join(work, 'data');
  for (const args of [
    ['init'],
    ['config', 'set', 'mirrors.npm', npmMirror.url, '--credential-ref', 'env:FIRST_RUN_NPM'],
    ['config', 'set', 'registry.mirror', registry.url],
  ]) {
    const result = await runCli([...args, '--data-dir', dataDir]);
    expect(result.code, result.stderr).toBe(0);
  }
}, 600_000);

afterAll(async () => {
  if (skipReason) return;
  await stopEnvironments(dataDir);
  await npmMirror?.stop();
  await registry?.stop();
  await engine?.release();
  rmSync(work, { recursive: true, force: true });
});

async function sprint(repo: string) {
  const run = await runCli(
    [
      'sprint',
      repo,
      '--yes-i-approve',
      '--osv',
      'examples/osv',
      '--perf-seconds',
      '2',
      '--json',
      '--data-dir',
      dataDir,
    ],
    { env: { FIRST_RUN_NPM: `${USER}:${PASSWORD}`, NO_COLOR: '1' } },
  );
  return { run, summary: JSON.parse(run.stdout) as SprintSummary };
}

describe.skipIf(skipReason)('a first sprint of a repository as users bring it', () => {
  it('builds a root-context multi-stage Dockerfile through both mirrors and releases it with the TCP fallback', async () => {
    const greeting = await npmMirror.publish({
      name: 'order-greeting',
      version: '1.0.0',
      files: { 'index.js': "exports.greeting = () => 'hello from the mirror';\n" },
    });
    const repo = rootContextService(
      join(work, 'orders-gateway'),
      { name: 'order-greeting', version: '1.0.0', integrity: greeting },
      NODE_IMAGE,
    );
    const { run, summary } = await sprint(repo);
    expect(run.code, run.stderr.slice(-4000)).toBe(0);
    expect(summary.outcome).toBe('promoted');
    expect(summary.timeToStagingSeconds).not.toBeNull();
    // No health route: TCP readiness, GET / answered 404 (below 500), and a warning saying so.
    expect(summary.warnings.some((w) => w.subject.endsWith(': health'))).toBe(true);
    expect(summary.gates.find((g) => g.gate === 'staging+smoke')?.figures).toContain('/ 404');

    // The substitution is in the audit chain: requested, through the mirror, what stood in.
    const db = new Database(join(dataDir, 'prodsprint.db'), { readonly: true });
    const resolved = db
      .prepare(`SELECT meta FROM audit_log WHERE action = 'build.base-images.resolved'`)
      .all() as Array<{ meta: string }>;
    const images = resolved.flatMap(
      (row) => (JSON.parse(row.meta) as { images: Array<Record<string, unknown>> }).images,
    );
    expect(images).toContainEqual(
      expect.objectContaining({
        requested: NODE_IMAGE,
        source: 'mirror',
        mirror: expect.objectContaining({ url: registry.url }),
        standIn: expect.objectContaining({ actual: expect.stringMatching(/^Node \d+/) }),
      }),
    );
    db.close();

    // The mirror credential is nowhere: not in the image, its history, the output or the db.
    const image = (
      await engine.docker.listImages({
        filters: { label: [`prodsprint.project=${summary.projectId}`] },
      })
    ).find((candidate) => candidate.RepoTags?.some((tag) => tag.startsWith('prodsprint/')));
    expect(image).toBeDefined();
    const history = await engine.docker.getImage(image!.Id).history();
    expect(JSON.stringify(history)).not.toContain(PASSWORD);
    expect(await imageBytesContain(engine.docker, image!.Id, PASSWORD)).toBe(false);
    expect(`${run.stdout}${run.stderr}`).not.toContain(PASSWORD);
    for (const file of readdirSync(dataDir).filter((f) => f.startsWith('prodsprint.db')))
      expect(readFileSync(join(dataDir, file)).includes(PASSWORD)).toBe(false);
  }, 900_000);

  it('blocks a runtime nothing here can build, naming the image and how to supply it', async () => {
    const { run, summary } = await sprint(unsupportedRuntime(join(work, 'ruby-web')));
    expect(run.code, run.stderr.slice(-3000)).toBe(6);
    expect(summary.outcome).toBe('blocked');
    expect(summary.blockedAt).toMatchObject({
      stage: 'build',
      reason: expect.stringContaining('ruby:3.3-slim'),
      remedy: expect.stringMatching(/ruby:3\.3-slim.*(registry mirror|docker load)/s),
    });
  }, 600_000);
});

/** Whether `needle` occurs in the bytes of `docker save` of the image (every layer and config). */
async function imageBytesContain(docker: Docker, id: string, needle: string): Promise<boolean> {
  const stream = (await docker.getImage(id).get()) as NodeJS.ReadableStream;
  const wanted = Buffer.from(needle);
  let tail = Buffer.alloc(0);
  let found = false;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const window = Buffer.concat([tail, chunk]);
    if (window.includes(wanted)) found = true;
    tail = window.subarray(Math.max(0, window.length - wanted.length));
  }
  return found;
}
