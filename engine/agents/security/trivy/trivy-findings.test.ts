import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Redactor } from '../../../secrets/redact.ts';
import { misconfigFindings } from './misconfig-scan.ts';
import { secretFindings } from './secret-scan.ts';
import { locateTrivy } from './trivy-binary.ts';

const redactor = new Redactor();
const TOKEN = `ghp_${'Zx9'.repeat(12)}`;

describe('secretFindings', () => {
  it('keeps rule, file and line, never Match or Code, and redacts the rest', () => {
    const findings = secretFindings(
      {
        Results: [
          {
            Target: 'b.sh',
            Secrets: [
              {
                RuleID: 'github-pat',
                Title: `token ${TOKEN}`,
                Severity: 'CRITICAL',
                StartLine: 9,
                EndLine: 9,
              },
            ],
          },
          {
            Target: 'a.env',
            Secrets: [
              {
                RuleID: 'aws-access-key-id',
                StartLine: 2,
                Match: TOKEN,
                Code: { Lines: [TOKEN] },
              } as never,
            ],
          },
        ],
      },
      redactor,
    );
    expect(findings).toEqual([
      {
        ruleId: 'aws-access-key-id',
        category: '',
        title: '',
        severity: 'UNKNOWN',
        file: 'a.env',
        line: 2,
        endLine: 2,
      },
      {
        ruleId: 'github-pat',
        category: '',
        title: 'token [REDACTED]',
        severity: 'CRITICAL',
        file: 'b.sh',
        line: 9,
        endLine: 9,
      },
    ]);
    expect(JSON.stringify(findings)).not.toContain(TOKEN);
  });
});

describe('misconfigFindings', () => {
  it('keeps failed checks only, sorted, with messages redacted', () => {
    const findings = misconfigFindings(
      {
        Results: [
          {
            Target: 'Dockerfile',
            Misconfigurations: [
              { ID: 'DS026', AVDID: 'AVD-DS-0026', Status: 'PASS', Severity: 'LOW' },
              {
                ID: 'DS002',
                AVDID: 'AVD-DS-0002',
                Status: 'FAIL',
                Severity: 'HIGH',
                Message: `ENV TOKEN=${TOKEN}`,
              },
            ],
          },
        ],
      },
      redactor,
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      id: 'AVD-DS-0002',
      checkId: 'DS002',
      line: 0,
      message: 'ENV TOKEN=[REDACTED]',
    });
  });
});

describe('locateTrivy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prodsprint-locate-trivy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uses a configured executable, and refuses a configured path that is not one', () => {
    const binary = join(dir, 'trivy');
    writeFileSync(binary, '#!/bin/sh\n');
    chmodSync(binary, 0o755);
    expect(locateTrivy({ path: binary })).toEqual({ found: true, path: binary });
    const missing = locateTrivy({ path: join(dir, 'nope') });
    expect(missing).toMatchObject({
      found: false,
      reason: expect.stringContaining('not executable'),
    });
  });
});
