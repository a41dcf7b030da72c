import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The README's main-job command is `npm run demo` = setup + scripts/demo.sh. Setup has already
// run (it is what started this suite); this drives the rest exactly as a user's shell would.
const dataDir = mkdtempSync(join(tmpdir(), 'prodsprint-demo-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the main job (npm run demo)', () => {
  const run = spawnSync('bash', ['scripts/demo.sh'], {
    env: { ...process.env, PRODSPRINT_HOME: dataDir, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 300_000,
  });

  it('exits 0', () => {
    expect(run.status, run.stderr).toBe(0);
  });

  it('initialises the data dir and checks the machine', () => {
    expect(run.stdout).toContain(`Initialised ProdSprint in ${dataDir}`);
    expect(existsSync(join(dataDir, 'prodsprint.db'))).toBe(true);
    expect(run.stdout).toMatch(/\[ok\] +Node\.js +Node 2\d\./);
    expect(run.stdout).toMatch(/^Ready\./m);
  });

  it('imports and audits the example service, with its port, health endpoint, tests and migration', () => {
    expect(run.stdout).toMatch(/Imported as prj_[0-9a-f]{32}/);
    expect(run.stdout).toMatch(
      /orders-api +\. +javascript +\S+ +3000 +\/healthz +node:test \(test\) +\S+ \(migrations\) +Dockerfile/,
    );
  });

  it('plans it for the docker target with a cost within the ceiling and a plan hash', () => {
    expect(run.stdout).toMatch(/Blueprint bp_[0-9a-f]{32} \(version 1\) .*: docker/);
    expect(run.stdout).toMatch(/cost +\d+(\.\d+)? USD\/month \(price catalog /);
    expect(run.stdout).not.toMatch(/OVER THE CEILING/);
    expect(run.stdout).toMatch(/plan hash +[0-9a-f]{64}/);
  });

  it('exports a signed audit bundle that verifies', () => {
    expect(existsSync(join(dataDir, 'demo-audit.tar.gz'))).toBe(true);
    expect(run.stdout).toMatch(/^VERIFIED: bundle OK/m);
  });
});
