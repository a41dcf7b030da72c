/**
 * Issue 8, DockerRunner on a real Docker Engine (started by the test setup): Trivy runs in the
 * locally built `FROM scratch` image against a read-only mounted fixture; the container has no
 * network and is gone afterwards; cancel kills it; a wrong digest is refused before anything
 * runs; a restarted engine (a new runner) resumes a job by its id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { Redactor } from '../../engine/secrets/redact.ts';
import { DockerRunner, JOB_LABEL } from '../../engine/tools/runner/docker-runner.ts';
import type { DockerRunnerOptions } from '../../engine/tools/runner/docker-runner.ts';
import { ToolError } from '../../engine/tools/runner/tool-error.ts';
import type { ToolJob, ToolOutputLine } from '../../engine/tools/runner/types.ts';
import type { ToolManifest } from '../../engine/tools/manifest.ts';
import { acquireDockerEngine, dockerUnavailableReason } from '../support/infra/docker-engine.ts';
import type { DockerEngine } from '../support/infra/docker-engine.ts';
import { ensureTrivyImage, projectManifest, withImageDigest } from '../support/tool-images.ts';
import { blockingFifo, PLANTED_TOKEN, recordingJournal, secretFixture } from './fixtures.ts';

const skipReason = dockerUnavailableReason();
// CI installs docker.io (scripts/setup.sh), so there a missing engine is a failure, not a skip.
if (skipReason && process.env.CI)
  throw new Error(`CI must run the docker tool-runner tests, but: ${skipReason}`);
if (skipReason) console.warn(`skipping docker tool-runner tests: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('DockerRunner with the local Trivy image', () => {
  let engine: DockerEngine;
  let manifest: ToolManifest;
  let imageId: string;
  const created: string[] = [];

  const runner = (extra: Partial<DockerRunnerOptions> = {}) =>
    new DockerRunner({
      docker: engine.docker,
      manifest,
      redactor: new Redactor(),
      limits: { cpus: 1, memoryBytes: 512 * 1024 * 1024 },
      ...extra,
    });

  const containersOf = (jobId: string) =>
    engine.docker.listContainers({ all: true, filters: { label: [`${JOB_LABEL}=${jobId}`] } });

  /** A Trivy job that blocks on a FIFO until it is killed. */
  const blockingJob = (jobId: string, extra: Partial<ToolJob> = {}): ToolJob => {
    const fifo = blockingFifo();
    created.push(fifo.dir);
    return {
      jobId,
      tool: 'trivy',
      args: ['image', '--offline-scan', '--scanners', 'secret', '--input', `/in/${fifo.name}`],
      mounts: [{ hostPath: fifo.dir, containerPath: '/in' }],
      ...extra,
    };
  };

  const waitForRunning = async (jobId: string) => {
    for (let i = 0; i < 200; i += 1) {
      const [found] = await containersOf(jobId);
      if (found?.State === 'running') return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`container of ${jobId} never ran`);
  };

  beforeAll(async () => {
    engine = await acquireDockerEngine();
    imageId = await ensureTrivyImage(engine.docker);
    manifest = withImageDigest(await projectManifest(), 'trivy', imageId);
  });

  afterAll(async () => {
    for (const dir of created) rmSync(dir, { recursive: true, force: true });
    if (!engine) return;
    const leftovers = await engine.docker.listContainers({
      all: true,
      filters: { label: [JOB_LABEL] },
    });
    for (const found of leftovers)
      await engine.docker
        .getContainer(found.Id)
        .remove({ force: true })
        .catch(() => undefined);
    await engine.release();
  });

  it('scans a read-only mounted fixture and returns its findings, then removes the container', async () => {
    const src = secretFixture();
    created.push(src);
    const lines: ToolOutputLine[] = [];
    const journal = recordingJournal();
    const result = await runner({ journal }).run({
      jobId: 'docker-scan-1',
      tool: 'trivy',
      args: [
        'fs',
        '--scanners',
        'secret',
        '--offline-scan',
        '--exit-code',
        '1',
        '--format',
        'json',
        '/src',
      ],
      mounts: [{ hostPath: src, containerPath: '/src' }],
      timeoutMs: 60_000,
      onLine: (line) => lines.push(line),
    });
    expect(result).toMatchObject({ jobId: 'docker-scan-1', outcome: 'exited', exitCode: 1 });
    const report = JSON.parse(
      lines
        .filter((line) => line.stream === 'stdout')
        .map((line) => line.line)
        .join('\n'),
    ) as { Results?: Array<{ Target: string; Secrets?: Array<{ RuleID: string }> }> };
    const secrets = report.Results?.flatMap((r) =>
      (r.Secrets ?? []).map((s) => [r.Target, s.RuleID]),
    );
    expect(secrets).toEqual([['config/deploy.env', 'github-pat']]);
    expect(lines.some((line) => line.line.includes(PLANTED_TOKEN))).toBe(false);
    expect(await containersOf('docker-scan-1')).toEqual([]);
    expect(journal.events.map((event) => event.event)).toEqual(['started:docker', 'finished']);
  });

  it('runs with no network, limits and a read-only mount; cancel kills the container and removes it', async () => {
    const controller = new AbortController();
    const running = runner().run(blockingJob('docker-cancel', { signal: controller.signal }));
    const found = await waitForRunning('docker-cancel');
    const info = await engine.docker.getContainer(found.Id).inspect();
    expect(info.HostConfig.NetworkMode).toBe('none');
    expect(Object.keys(info.NetworkSettings.Networks)).toEqual(['none']);
    expect(info.HostConfig.NanoCpus).toBe(1e9);
    expect(info.HostConfig.Memory).toBe(512 * 1024 * 1024);
    expect(info.HostConfig.CapDrop).toEqual(['ALL']);
    expect(info.HostConfig.ReadonlyRootfs).toBe(true);
    expect(info.Mounts.map((mount) => [mount.Destination, mount.RW])).toEqual([['/in', false]]);
    expect(info.Image).toBe(imageId);
    controller.abort();
    const result = await running;
    expect(result).toMatchObject({ outcome: 'cancelled', exitCode: null });
    expect(await containersOf('docker-cancel')).toEqual([]);
  });

  it('refuses an image whose ID differs from the manifest before anything runs', async () => {
    const wrong = withImageDigest(manifest, 'trivy', `sha256:${'0'.repeat(64)}`);
    const error = await runner({ manifest: wrong })
      .run({ jobId: 'docker-wrong-digest', tool: 'trivy', args: ['--version'] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ToolError);
    expect(error).toMatchObject({ reason: 'digest-mismatch', tool: 'trivy' });
    expect((error as ToolError).message).toContain(imageId);
    expect(await containersOf('docker-wrong-digest')).toEqual([]);
  });

  it('never pulls: a missing image is refused with a remediation, with or without a registry', async () => {
    const absent: ToolManifest = {
      ...manifest,
      tools: manifest.tools.map((entry) =>
        entry.name === 'trivy' && entry.image
          ? { ...entry, image: { ...entry.image, reference: 'local/prodsprint-absent:none' } }
          : entry,
      ),
    };
    const job = { jobId: 'docker-absent', tool: 'trivy', args: ['--version'] };
    await expect(runner({ manifest: absent }).run(job)).rejects.toMatchObject({
      reason: 'missing',
      remediation: expect.stringContaining('tools load') as unknown,
    });
    await expect(
      runner({ manifest: absent, internalRegistry: '127.0.0.1:15000' }).run(job),
    ).rejects.toMatchObject({ reason: 'pull-refused' });
    await expect(runner({ manifest: await projectManifest() }).run(job)).rejects.toMatchObject({
      reason: 'not-pinned',
    });
  });

  it('a restarted engine resumes a job in flight by its id, and terminate removes it', async () => {
    const first = runner().run(blockingJob('docker-resume'));
    await waitForRunning('docker-resume');
    // A job id runs once (invariant 4): starting it again is refused; it must be resumed.
    await expect(runner().run(blockingJob('docker-resume'))).rejects.toThrow(
      /already has a container/,
    );
    // A new runner knows nothing of the first one's job but its id (as after a restart).
    const lines: ToolOutputLine[] = [];
    const controller = new AbortController();
    const resumed = await runner().resume('docker-resume', {
      timeoutMs: 60_000,
      signal: controller.signal,
      onLine: (line) => {
        lines.push(line);
        // Trivy is blocked on the FIFO once it announces the secret scanner.
        if (line.line.includes('Secret scanning is enabled')) controller.abort();
      },
    });
    expect(resumed).toMatchObject({ jobId: 'docker-resume', outcome: 'cancelled' });
    expect(lines.length).toBeGreaterThan(0);
    expect(await containersOf('docker-resume')).toEqual([]);
    await first;
    expect(await runner().resume('docker-resume')).toBeUndefined();

    const third = runner().run(blockingJob('docker-terminate'));
    await waitForRunning('docker-terminate');
    await runner().terminate('docker-terminate');
    expect(await containersOf('docker-terminate')).toEqual([]);
    await third;
  });
});
