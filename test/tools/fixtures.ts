/** Scratch files for the tool-runner tests: a fixture with a planted token, a FIFO, a journal. */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RemoteRunJournal } from '../../engine/tools/runner/remote-runs.ts';

/** A GitHub token shape both Trivy (github-pat) and the redactor recognise; never a real one. */
export const PLANTED_TOKEN = `ghp_${'R8x2Kq7ZpL4mN9vB3cW6yT1hJ5fD0sA8gE2u'}`;

export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `prodsprint-tools-${prefix}-`));
  chmodSync(dir, 0o755);
  return dir;
}

/** A small source tree with one planted secret. */
export function secretFixture(): string {
  const dir = scratchDir('src');
  mkdirSync(join(dir, 'config'));
  writeFileSync(join(dir, 'config', 'deploy.env'), `GITHUB_TOKEN=${PLANTED_TOKEN}\n`);
  writeFileSync(join(dir, 'README.md'), '# sample\n');
  return dir;
}

/**
 * A directory holding a FIFO nobody writes to: `trivy image --input fifo` blocks on it forever,
 * which makes a real long-running Trivy job to cancel.
 */
export function blockingFifo(): { dir: string; name: string } {
  const dir = scratchDir('fifo');
  execFileSync('mkfifo', [join(dir, 'image.tar')]);
  return { dir, name: 'image.tar' };
}

export interface RecordingJournal extends RemoteRunJournal {
  events: Array<{ jobId: string; event: string; handle?: string }>;
}

export function recordingJournal(): RecordingJournal {
  const events: RecordingJournal['events'] = [];
  return {
    events,
    started: (jobId, runner, handle) => events.push({ jobId, event: `started:${runner}`, handle }),
    finished: (jobId, state) => events.push({ jobId, event: state }),
  };
}
