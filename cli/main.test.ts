import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DoctorCheck } from '../engine/contract/system.contract.ts';
import { makeProblem } from '../engine/contract/problem.ts';
import { exitCodeFor } from './exit-codes.ts';
import { main } from './main.ts';
import type { Io } from './output.ts';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'prodsprint-cli-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

// Tests that run the real doctor spawn each installed tool's --version: allow for a busy machine.
const DOCTOR_TIMEOUT = 30_000;

async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    isTty: false,
  };
  const code = await main(args, io, { PATH: process.env.PATH, HOME: dataDir });
  return { code, stdout, stderr };
}

describe('prodsprint CLI', () => {
  it(
    '--json prints exactly one JSON document on stdout',
    async () => {
      for (const command of ['version', 'init', 'doctor', 'tour']) {
        const result = await cli('--data-dir', dataDir, command, '--json');
        expect([0, 3], `${command}: ${result.stderr}`).toContain(result.code);
        expect(
          () => JSON.parse(result.stdout),
          `${command} stdout: ${result.stdout}`,
        ).not.toThrow();
      }
    },
    DOCTOR_TIMEOUT,
  );

  it(
    'doctor --json lists the checklist with a remedy for everything not ok',
    async () => {
      const result = await cli('--data-dir', dataDir, 'doctor', '--json');
      const report = JSON.parse(result.stdout);
      const checks = report.checks.map((check: unknown) => DoctorCheck.parse(check));
      const ids = checks.map((check: DoctorCheck) => check.id);
      for (const id of [
        'node',
        'data-dir',
        'sqlite',
        'docker',
        'tool.git',
        'tool.trivy',
        'tool.terraform',
        'tool.k6',
        'tool.cosign',
        'tool.opa',
        'tool.haproxy',
        'tool.prometheus',
        'tool.chromium',
      ]) {
        expect(ids).toContain(id);
      }
      for (const check of checks.filter((c: DoctorCheck) => c.status !== 'ok'))
        expect(check.remedy, check.id).toBeTruthy();
      expect(result.code).toBe(report.ok ? 0 : 3);
    },
    DOCTOR_TIMEOUT,
  );

  it(
    'doctor prints the same checklist as text',
    async () => {
      const json = JSON.parse((await cli('--data-dir', dataDir, 'doctor', '--json')).stdout);
      const text = await cli('--data-dir', dataDir, 'doctor');
      for (const check of json.checks) expect(text.stdout).toContain(check.title);
      expect(text.stdout).toMatch(/^(Ready|Not ready)/m);
    },
    DOCTOR_TIMEOUT,
  );

  it('unknown commands and options exit 2 with one readable line', async () => {
    const unknown = await cli('deploy-everything');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'deploy-everything'/);
    const badOption = await cli('doctor', '--colour');
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/unknown option '--colour'/);
  });

  it('a usage error with --json still gives stdout one Problem document', async () => {
    const result = await cli('init', '--json', '--nope');
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({
      type: 'https://prodsprint.dev/problems/validation-failed',
      status: 400,
    });
  });

  it('invalid values name the flag the user typed', async () => {
    const result = await cli('--data-dir', dataDir, 'init', '--operator-email', 'not-an-email');
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/--operator-email: Invalid email/);
  });

  it('--version prints the package version', async () => {
    const result = await cli('--version');
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('--help works on every command and documents exit codes', async () => {
    const top = await cli('--help');
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/Exit codes:/);
    for (const command of ['init', 'doctor', 'version', 'tour', 'import']) {
      const help = await cli(command, '--help');
      expect(help.code, command).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`Usage: prodsprint ${command}`));
    }
  });

  it.each([
    ['validation-failed', 2],
    ['not-implemented', 5],
    ['database-unreadable', 4],
    ['database-newer-schema', 4],
    ['data-dir-not-writable', 4],
    ['gate-blocked', 6],
    ['capacity-exceeded', 6],
    ['conflict', 1],
    ['import-failed', 1],
    ['internal', 70],
  ] as const)('a %s Problem exits %i', (kind, code) => {
    expect(exitCodeFor(makeProblem(kind, { detail: 'x' }))).toBe(code);
  });
});
