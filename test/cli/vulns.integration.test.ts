// `prodsprint vulns import` in a child process, as a user runs it: an OSV export is imported once
// (again is a no-op), and a path that is not one is refused with a remedy and exit 2.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'prodsprint-vulns-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const cli = (...args: string[]) => runCli([...args, '--data-dir', dataDir]);

describe('prodsprint vulns import', () => {
  it('imports an OSV export, and importing it again changes nothing', async () => {
    const first = await cli('vulns', 'import', 'examples/osv', '--json');
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ stored: 1, advisoriesKnown: 1 });
    const again = await cli('vulns', 'import', 'examples/osv');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Imported 0 advisories .* \(1 unchanged\); 1 known in all\./);
  });

  it('refuses a source that is not an OSV export, saying what to pass', async () => {
    const result = await cli('vulns', 'import', join(dataDir, 'missing'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^prodsprint: .*no such file or directory — pass a directory of OSV JSON files or an OSV \.zip export/m,
    );
  });
});
