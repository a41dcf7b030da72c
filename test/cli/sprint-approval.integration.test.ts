/**
 * Issue 16 acceptance: an approval given over HTTP resumes a sprint started from the CLI. Two
 * real processes on one data dir, as a team runs them: `prodsprint serve` (which drives runs)
 * and `prodsprint sprint` without --yes-i-approve (which starts the sprint and follows it). The
 * sprint waits in awaiting-approval holding no worker; the HTTP approval wakes it, it submits
 * the apply with that approval, and the CLI that follows it sees the apply start. The sprint
 * is then cancelled over HTTP, which the CLI, and a third process following the run with
 * `runs show --follow`, both see as its end.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleRepo } from '../fixtures/example-repo.ts';
import { stopEnvironments } from '../fixtures/stop-environments.ts';
import { CLI_ENTRY } from '../support/run-cli.ts';

const work = mkdtempSync(join(tmpdir(), 'prodsprint-sprint-approval-'));
const dataDir = join(work, 'data');
const children: ChildProcessWithoutNullStreams[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await stopEnvironments(dataDir);
  rmSync(work, { recursive: true, force: true });
});

function prodsprint(args: string[]) {
  const child = spawn(process.execPath, [CLI_ENTRY, '--data-dir', dataDir, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  children.push(child);
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  return { child, output, exited };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 120_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 250));
  }
}

interface Sprint {
  sprintId: string;
  phase: string;
  status: string;
  awaitingApproval: { blueprintId: string; planHash: string } | null;
  children: { applyRunId: string | null };
  stages: Array<{ name: string; status: string }>;
}

describe('a sprint started from the CLI, approved over HTTP', () => {
  it('waits for the approval, resumes with it, and the CLI follows to the end', async () => {
    const serve = prodsprint(['serve', '--port', '0', '--json']);
    const ready = await until('serve to listen', async () => {
      try {
        return JSON.parse(serve.output.stdout) as { url: string; tokenFile: string };
      } catch {
        return undefined;
      }
    });
    const token = readFileSync(ready.tokenFile, 'utf8').trim();
    const api = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
      const reply = await fetch(`${ready.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await reply.text();
      if (!reply.ok) throw new Error(`${method} ${path}: ${reply.status} ${text}`);
      return JSON.parse(text) as T;
    };

    const repo = exampleRepo(resolve('examples/orders-api'), join(work, 'orders-api'));
    const sprint = prodsprint(['sprint', repo, '--osv', resolve('examples/osv')]);

    const waiting = await until('the sprint to await approval', async () => {
      const { sprints } = await api<{ sprints: Sprint[] }>('GET', '/sprints');
      return sprints.find((s) => s.phase === 'awaiting-approval');
    });
    expect(waiting.status).toBe('running');
    // A second client follows the same sprint from the start of its wait to its end.
    const follower = prodsprint(['runs', 'show', waiting.sprintId, '--follow', '--json']);
    expect(waiting.stages.find((s) => s.name === 'approval')).toMatchObject({ status: 'pending' });
    const plan = waiting.awaitingApproval!;
    // The CLI cannot prompt (no terminal): it says how to approve and keeps following.
    await until('the CLI to say it waits', async () =>
      sprint.output.stderr.includes('waiting for an approval') ? true : undefined,
    );

    const approval = await api<{ approvalId: string }>(
      'POST',
      `/blueprints/${plan.blueprintId}/approve`,
      { planHash: plan.planHash },
    );
    const resumed = await until(
      'the sprint to submit its apply',
      async () => {
        const s = await api<Sprint>('GET', `/sprints/${waiting.sprintId}`);
        return s.children.applyRunId ? s : undefined;
      },
      30_000,
    );
    expect(resumed.stages.find((s) => s.name === 'approval')).toMatchObject({ status: 'done' });
    const { outputs } = await api<{ outputs: { approval: { approvalId: string } } }>(
      'GET',
      `/runs/${waiting.sprintId}/outputs`,
    );
    expect(outputs.approval.approvalId).toBe(approval.approvalId);
    await until('the CLI to follow the apply', async () =>
      sprint.output.stderr.includes('▶ apply') ? true : undefined,
    );

    const cancelled = await api<Sprint>('POST', `/sprints/${waiting.sprintId}/cancel`, {
      reason: 'test done',
    });
    expect(cancelled.phase).toBe('cancelled');
    const code = await sprint.exited;
    // A cancelled sprint is a stop a person chose: exit 6, saying where it stopped and why.
    expect(code, sprint.output.stderr.slice(-2000)).toBe(6);
    expect(sprint.output.stderr).toMatch(/sprint run_\w+ stopped at \w+: test done/);
    await follower.exited;
    const followed = JSON.parse(follower.output.stdout) as Sprint;
    expect(followed.status).toBe('cancelled');
    expect(followed.stages.map((s) => s.name)).toEqual([
      'plan',
      'approval',
      'apply',
      'release',
      'evidence',
      'outcome',
    ]);
    const apply = await api<{ status: string }>('GET', `/runs/${resumed.children.applyRunId}`);
    expect(['cancelled', 'done', 'error', 'blocked']).toContain(apply.status);

    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
  }, 240_000);
});
