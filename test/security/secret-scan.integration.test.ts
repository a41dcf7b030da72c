/**
 * Issue 8 acceptance: Trivy's secret scan finds a key planted in a fixture and reports it by
 * file and line, and the key never appears unmasked in any output: findings, Trivy's logs, or
 * an error. The planted values are built at run time, so this source file holds no secret.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanSecrets, secretFindings } from '../../engine/agents/security/trivy/secret-scan.ts';
import { locateTrivy } from '../../engine/agents/security/trivy/trivy-binary.ts';
import { Redactor } from '../../engine/secrets/redact.ts';
import { writeTree } from '../fixtures/repos/build-repo.ts';

const root = mkdtempSync(join(tmpdir(), 'prodsprint-secret-scan-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Deterministic, realistic-looking credentials that are not anybody's (and not Trivy's "EXAMPLE" allow-list). */
const hex = (seed: string) => createHash('sha256').update(seed).digest('hex').toUpperCase();
const AWS_KEY_ID = `AKIA${hex('id')
  .replace(/[^A-Z2-7]/g, '')
  .padEnd(16, 'Q')
  .slice(0, 16)}`;
const GITHUB_TOKEN = `ghp_${createHash('sha256')
  .update('gh')
  .digest('base64')
  .replace(/[^A-Za-z0-9]/g, '')
  .slice(0, 36)}`;

const trivy = locateTrivy({ searchPath: false });

describe('secret scan with Trivy', () => {
  if (!trivy.found) {
    it.skip(`skipped: ${trivy.reason}`, () => {});
    return;
  }
  const redactor = new Redactor();
  const run = { binary: trivy.path, cacheDir: join(root, 'cache'), redactor };

  it('finds the planted keys by file and line, and never outputs them unmasked', async () => {
    const dir = join(root, 'project');
    writeTree(dir, {
      'app/settings.py': `import os\n\nDEBUG = False\nAWS_ACCESS_KEY_ID = "${AWS_KEY_ID}"\nREGION = "eu-west-1"\n`,
      'deploy/release.sh': `#!/bin/sh\nset -e\n\nexport GITHUB_TOKEN=${GITHUB_TOKEN}\n./release\n`,
      'README.md': '# shop\n',
    });
    const findings = await scanSecrets(run, dir);
    expect(findings).toEqual([
      expect.objectContaining({ file: 'app/settings.py', line: 4, ruleId: 'aws-access-key-id' }),
      expect.objectContaining({ file: 'deploy/release.sh', line: 4, ruleId: 'github-pat' }),
    ]);
    const everything = JSON.stringify(findings);
    for (const secret of [AWS_KEY_ID, GITHUB_TOKEN]) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/Match|Code/);
  });

  it('drops Trivy snippets and redacts whatever else quotes a secret', () => {
    const report = {
      Results: [
        {
          Target: 'x.env',
          Secrets: [
            {
              RuleID: 'aws-access-key-id',
              Title: `AWS key ${AWS_KEY_ID}`,
              StartLine: 2,
              Match: `KEY=${AWS_KEY_ID}`,
              Code: { Lines: [{ Content: `KEY=${AWS_KEY_ID}` }] },
            },
          ],
        },
      ],
    };
    const out = JSON.stringify(secretFindings(report, redactor));
    expect(out).not.toContain(AWS_KEY_ID);
    expect(out).toContain('[REDACTED]');
  });
});
