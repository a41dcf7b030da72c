/**
 * Issue 8, LocalRunner: the real bundled Trivy runs from the manifest's pinned path, a copy with
 * one byte changed is refused before it runs, and cancel / timeout kill the process group.
 */
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '../../engine/secrets/redact.ts';
import { LocalRunner } from '../../engine/tools/runner/local-runner.ts';
import { ToolError } from '../../engine/tools/runner/tool-error.ts';
import type { ToolOutputLine } from '../../engine/tools/runner/types.ts';
import type { ToolManifest } from '../../engine/tools/manifest.ts';
import { projectManifest, projectRoot, trivyBinaryPath } from '../support/tool-images.ts';
import {
  blockingFifo,
  PLANTED_TOKEN,
  recordingJournal,
  scratchDir,
  secretFixture,
} from './fixtures.ts';

const created: string[] = [];
let manifest: ToolManifest;
let cacheDir: string;

function runner(extra: Partial<ConstructorParameters<typeof LocalRunner>[0]> = {}): LocalRunner {
  return new LocalRunner({ manifest, projectRoot, redactor: new Redactor(), ...extra });
}

function trivyEnv(): Record<string, string> {
  return {
    PATH: '/usr/bin:/bin',
    HOME: cacheDir,
    TRIVY_CACHE_DIR: cacheDir,
    TRIVY_NO_PROGRESS: 'true',
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  manifest = await projectManifest();
  cacheDir = scratchDir('cache');
  created.push(cacheDir);
});

afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

describe('LocalRunner with the bundled Trivy', () => {
  it('scans a directory for secrets, streaming redacted lines keyed by job id', async () => {
    const src = secretFixture();
    created.push(src);
    const lines: ToolOutputLine[] = [];
    const result = await runner().run({
      jobId: 'local-scan-1',
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
        src,
      ],
      env: trivyEnv(),
      timeoutMs: 60_000,
      onLine: (line) => lines.push(line),
    });
    expect(result).toMatchObject({ jobId: 'local-scan-1', outcome: 'exited', exitCode: 1 });
    expect(lines.every((line) => line.jobId === 'local-scan-1')).toBe(true);
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
  });

  it('refuses a copy of the binary with one byte changed, before running it', async () => {
    const dir = scratchDir('tampered');
    created.push(dir);
    const copy = join(dir, 'trivy');
    copyFileSync(await trivyBinaryPath(), copy);
    const bytes = readFileSync(copy);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0xff;
    writeFileSync(copy, bytes, { mode: 0o755 });
    const journal = recordingJournal();
    const error = await runner({ binaryPaths: { trivy: copy }, journal })
      .run({ jobId: 'local-tampered', tool: 'trivy', args: ['--version'] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ToolError);
    expect(error).toMatchObject({ tool: 'trivy', reason: 'checksum-mismatch' });
    expect((error as ToolError).message).toContain(copy);
    expect((error as ToolError).remediation).not.toBe('');
    expect(journal.events).toEqual([]);
  });

  it('refuses tools outside the manifest and blocks missing ones with a remediation', async () => {
    await expect(runner().run({ jobId: 'x1', tool: 'curl', args: [] })).rejects.toMatchObject({
      reason: 'not-allowed',
    });
    const missing = await runner()
      .run({ jobId: 'x2', tool: 'terraform', args: ['version'] })
      .catch((caught: unknown) => caught);
    expect(missing).toMatchObject({ reason: 'missing', tool: 'terraform' });
    expect((missing as ToolError).remediation).toMatch(/manifest/);
  });

  it('cancel kills a long-running Trivy and its process group', async () => {
    const fifo = blockingFifo();
    created.push(fifo.dir);
    const journal = recordingJournal();
    const controller = new AbortController();
    const lines: string[] = [];
    const running = runner({ journal }).run({
      jobId: 'local-cancel',
      tool: 'trivy',
      args: [
        'image',
        '--offline-scan',
        '--scanners',
        'secret',
        '--input',
        join(fifo.dir, fifo.name),
      ],
      env: trivyEnv(),
      signal: controller.signal,
      onLine: (line) => {
        lines.push(line.line);
        // Trivy is blocked on the FIFO once it announces the secret scanner.
        if (line.line.includes('Secret scanning is enabled')) controller.abort();
      },
    });
    const result = await running;
    expect(result).toMatchObject({ outcome: 'cancelled', exitCode: null });
    const pid = Number(journal.events[0]?.handle?.replace('pid:', ''));
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
    expect(journal.events.map((event) => event.event)).toEqual(['started:local', 'terminated']);
  });

  it('a timeout kills the job and says so', async () => {
    const fifo = blockingFifo();
    created.push(fifo.dir);
    const result = await runner().run({
      jobId: 'local-timeout',
      tool: 'trivy',
      args: ['image', '--offline-scan', '--input', join(fifo.dir, fifo.name)],
      env: trivyEnv(),
      timeoutMs: 1500,
    });
    expect(result).toMatchObject({ outcome: 'timed-out', exitCode: null });
    expect(result.durationMs).toBeLessThan(10_000);
  });
});
