import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRepo } from '../fixtures/repos/build-repo.ts';
import { runCli } from '../support/run-cli.ts';
import { cliRejects, shellWords } from '../blueprint/cli-invocations.ts';

// `prodsprint approve` and the plan's questions (issue 15, ask instead of guessing): a service
// whose port the repository does not state gets a question; approval is refused while it is
// open, with the command that answers it; answered, the new plan is approved and signed.
let root: string;
let dataDir: string;
let projectId: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'prodsprint-approve-cli-'));
  dataDir = join(root, 'data');
  buildRepo(join(root, 'quiet'), {
    'package.json': JSON.stringify({
      name: 'quiet',
      version: '1.0.0',
      scripts: { start: 'node server.js' },
      dependencies: { express: '^4.21.2' },
    }),
    // The port comes from an environment variable with no default: nothing says which it is.
    'server.js':
      "const express = require('express');\nconst app = express();\napp.get('/', (req, res) => res.send('ok'));\napp.listen(process.env.APP_PORT);\n",
  });
  projectId = JSON.parse(
    (await runCli(['--data-dir', dataDir, 'import', join(root, 'quiet'), '--json'])).stdout,
  ).projectId;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);

describe('prodsprint approve with plan questions', () => {
  let open: { blueprintId: string; planHash: string };

  it('given a service with no port in the repository, when planned, then the plan asks which port with a candidate', async () => {
    const text = await cli('plan', projectId, '--target', 'docker');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Questions \(1 open; the plan cannot be approved/);
    expect(text.stdout).toMatch(/\? quiet\.port: Which port does quiet listen on\?/);
    expect(text.stdout).toContain(`prodsprint plan ${projectId} --answer quiet.port=<value>`);
    const json = JSON.parse((await cli('plan', projectId, '--target', 'docker', '--json')).stdout);
    expect(json.summary.questions).toMatchObject([
      { id: 'quiet.port', answer: null, candidates: [{ value: expect.stringMatching(/^\d+$/) }] },
    ]);
    open = json;
  });

  it('given an open question, when approved, then it is refused with the command that answers it, and nothing is signed', async () => {
    const refused = await cli('approve', open.blueprintId, '--plan-hash', open.planHash);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/open question\(s\).*quiet\.port/);
    const command = /`(prodsprint plan [^`]+)`/.exec(refused.stderr)?.[1];
    expect(command).toMatch(/--answer quiet\.port=\d+/);
    // The remedy is a command the CLI really takes.
    expect(cliRejects(shellWords(command!).slice(1))).toBeNull();
  });

  it('given the answer, when planned and approved, then the approval is signed for the new plan', async () => {
    const answered = JSON.parse(
      (await cli('plan', projectId, '--target', 'docker', '--answer', 'quiet.port=4000', '--json'))
        .stdout,
    );
    expect(answered.summary.questions).toMatchObject([{ id: 'quiet.port', answer: '4000' }]);
    expect(answered.planHash).not.toBe(open.planHash);
    const approved = await cli(
      'approve',
      answered.blueprintId,
      '--plan-hash',
      answered.planHash,
      '--json',
    );
    expect(approved.code, approved.stderr).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({
      blueprintId: answered.blueprintId,
      planHash: answered.planHash,
      selfApproval: false,
    });
  });

  it('given a kubernetes plan, when planned, then its own checks ran on its artifacts and passed', async () => {
    const planned = JSON.parse(
      (
        await cli(
          'plan',
          projectId,
          '--target',
          'kubernetes',
          '--answer',
          'quiet.port=4000',
          '--json',
        )
      ).stdout,
    );
    const checks = planned.summary.checks as Array<{
      check: string;
      status: string;
      checked: number;
    }>;
    expect(checks.map((c) => c.check)).toEqual([
      'github-workflow-parser',
      'actionlint',
      'kubernetes-schema',
      'terraform',
    ]);
    for (const check of checks.slice(0, 3)) expect(check).toMatchObject({ status: 'passed' });
    expect(checks.find((c) => c.check === 'kubernetes-schema')!.checked).toBeGreaterThan(3);
    expect(['passed', 'not-run']).toContain(checks.find((c) => c.check === 'terraform')!.status);
  });

  it('given a plan whose own checks failed, when approved, then it is refused with the findings and nothing is signed', async () => {
    const planned = JSON.parse(
      (await cli('plan', projectId, '--target', 'docker', '--answer', 'quiet.port=4001', '--json'))
        .stdout,
    );
    // What a defect in a template would have produced: a finding recorded by the self-check.
    const db = new Database(join(dataDir, 'prodsprint.db'));
    const row = db
      .prepare('SELECT summary FROM blueprints WHERE id = ?')
      .get(planned.blueprintId) as {
      summary: string;
    };
    const summary = JSON.parse(row.summary);
    summary.plan.checks[1] = {
      check: 'actionlint',
      status: 'failed',
      checked: 1,
      findings: [
        '.github/workflows/prodsprint-quiet.yml:9: undefined variable "nope" [expression]',
      ],
    };
    db.prepare('UPDATE blueprints SET summary = ? WHERE id = ?').run(
      JSON.stringify(summary),
      planned.blueprintId,
    );
    db.close();
    const refused = await cli('approve', planned.blueprintId, '--plan-hash', planned.planHash);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('the plan fails its own checks');
    expect(refused.stderr).toContain('actionlint: .github/workflows/prodsprint-quiet.yml:9');
    const after = new Database(join(dataDir, 'prodsprint.db'), { readonly: true });
    expect(
      after.prepare('SELECT approved_at FROM blueprints WHERE id = ?').get(planned.blueprintId),
    ).toEqual({ approved_at: null });
    after.close();
  });

  it('given an --answer without =, then it names the flag and the form (exit 2)', async () => {
    const bad = await cli('plan', projectId, '--target', 'docker', '--answer', 'quiet.port');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /--answer: expected <question id>=<value>, e\.g\. api\.port=8080, not "quiet\.port"/,
    );
  });
});
