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
    timeout: 120_000,
  });

  it('exits 0', () => {
    expect(run.status, run.stderr).toBe(0);
  });

  it('initialises the data dir it was given', () => {
    expect(run.stdout).toContain(`Initialised ProdSprint in ${dataDir}`);
    expect(existsSync(join(dataDir, 'prodsprint.db'))).toBe(true);
  });

  it('prints the doctor checklist and a verdict', () => {
    expect(run.stdout).toMatch(/\[ok\] +Node\.js +Node 2\d\./);
    expect(run.stdout).toMatch(/\[ok\] +SQLite database +.*prodsprint\.db at schema \d+/);
    expect(run.stdout).toMatch(/^Ready\./m);
  });

  it('tours the sprint and ends with the machine-readable version', () => {
    expect(run.stdout).toMatch(/1\. Import a repository from your Git server/);
    const lastJson = run.stdout.slice(run.stdout.lastIndexOf('{'), run.stdout.lastIndexOf('}') + 1);
    expect(JSON.parse(lastJson)).toMatchObject({
      prodsprint: expect.any(String),
      schemaVersion: expect.any(Number),
    });
  });
});
