import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Redactor } from '../../../secrets/redact.ts';
import { runTrivy } from './run-trivy.ts';

// Node stands in for the binary: these tests are about what runTrivy does with the output.
const cacheDir = mkdtempSync(join(tmpdir(), 'prodsprint-run-trivy-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));
const SECRET = `ghp_${'A1b2C3d4'.repeat(5)}`;

function fake(script: string) {
  const redactor = new Redactor();
  return {
    run: { binary: process.execPath, cacheDir, redactor },
    args: ['-e', script, SECRET],
  };
}

describe('runTrivy', () => {
  it('redacts secrets a failing tool prints, and says how it failed', async () => {
    const { run, args } = fake(
      'console.error("FATAL bad value " + process.argv[1]); process.exit(3)',
    );
    const message = await runTrivy(run, args).then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    expect(message).toMatch(/failed \(exit code 3\): FATAL bad value \[REDACTED\]/);
    expect(message).not.toContain(SECRET);
  });

  it('redacts the logs of a successful run and passes stdout through', async () => {
    const { run, args } = fake('console.error("token " + process.argv[1]); console.log("{}")');
    const output = await runTrivy(run, args);
    expect(output).toEqual({ stdout: '{}\n', stderr: 'token [REDACTED]\n', exitCode: 0 });
  });

  it('accepts the exit codes the caller names', async () => {
    const { run, args } = fake('process.exit(1)');
    await expect(runTrivy(run, args, [0, 1])).resolves.toMatchObject({ exitCode: 1 });
  });

  it('runs with TRIVY_CACHE_DIR set to the caller-owned cache', async () => {
    const { run } = fake('');
    const output = await runTrivy(run, ['-e', 'console.log(process.env.TRIVY_CACHE_DIR)']);
    expect(output.stdout.trim()).toBe(cacheDir);
  });
});
