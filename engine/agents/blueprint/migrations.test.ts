/**
 * Forward-only schema migrations (issue 9, blueprint side): when the auditor found a migration
 * tool, the plan carries the expand → migrate → contract runbook for that tool and directory,
 * its notes propose it, and no rollback path reverses the schema.
 */
import { describe, expect, it } from 'vitest';
import { Fingerprint } from '../repo-auditor/fingerprint.ts';
import { planBlueprint } from './plan.ts';
import { MIGRATION_RUNBOOK } from './render-docs.ts';

const at = [{ file: 'go.mod', line: 1 }];

function fingerprintWith(migrations: { tool: string; path: string } | null, name = 'shipping') {
  return Fingerprint.parse({
    version: 1,
    services: [
      {
        name,
        path: '.',
        language: { value: 'go', evidence: at },
        framework: { value: 'gin', evidence: at },
        packageManager: null,
        lockfile: null,
        port: { value: 8081, evidence: at },
        dockerfile: null,
        startCommand: null,
        healthEndpoint: { value: '/health', evidence: at },
        envVars: [],
        orm: null,
        migrations: migrations && { value: migrations, evidence: at },
        queues: [],
        tests: null,
        coverageConfig: null,
      },
    ],
    composeFiles: [],
    k8sManifests: [],
    helmCharts: [],
    ciConfigs: [],
    monorepoTool: null,
    gaps: [],
    stats: { files: 1, filesRead: 1, skipped: [] },
  });
}

const none = async () => null;
const inputs = { target: 'kubernetes', db: { engine: 'postgres', version: '16' } };

describe('expand/contract for forward-only migrations', () => {
  it('plans the runbook for the service’s tool and directory and proposes it in the notes', async () => {
    const plan = await planBlueprint(
      fingerprintWith({ tool: 'golang-migrate', path: 'db/migrations' }),
      inputs,
      { readCurrentFile: none },
    );
    const runbook = plan.artifacts.find((a) => a.path === MIGRATION_RUNBOOK);
    expect(runbook?.change).toBe('new');
    const text = runbook!.content;
    expect(text).toContain('## shipping: golang-migrate (`db/migrations`)');
    expect(text).toContain('migrate -path db/migrations -database "$DATABASE_URL" up');
    for (const step of ['## 1. Expand', '## 2. Migrate', '## 3. Contract', '## Rollback'])
      expect(text).toContain(step);
    expect(text).toMatch(/Never run the tool's down migration as part of a rollback/);
    expect(text).not.toContain('[[');

    expect(plan.summary.notes.join('\n')).toMatch(
      /shipping: golang-migrate migrations \(db\/migrations\) are forward-only: ship schema changes expand → migrate → contract \(docs\/runbooks\/schema-migration-expand-contract\.md\); a rollback never reverses the schema/,
    );
    const rollback = plan.artifacts.find((a) => a.path === 'docs/runbooks/rollback.md')!.content;
    expect(rollback).toContain('a rollback never reverses the schema');
    expect(rollback).toContain(MIGRATION_RUNBOOK);
    expect(rollback).not.toMatch(/migrate down|downgrade|migration:revert/);
    const checklist = plan.artifacts.find((a) => a.path === 'docs/readiness-checklist.md')!;
    expect(checklist.content).toContain(MIGRATION_RUNBOOK);
    expect(plan.artifacts.find((a) => a.path === 'docs/changelog.md')!.content).toContain(
      MIGRATION_RUNBOOK,
    );
  });

  it.each([
    ['alembic', 'migrations', 'alembic upgrade head'],
    ['django', 'polls/migrations', 'python manage.py migrate --noinput'],
    ['prisma', 'prisma/migrations', 'prisma migrate deploy'],
    ['flyway', 'src/main/resources/db/migration', 'flyway migrate'],
    ['typeorm', 'src/migrations', 'typeorm migration:run'],
    ['some-new-tool', 'db', "the tool's forward migrate command"],
  ])('names how %s applies migrations', async (tool, path, apply) => {
    const plan = await planBlueprint(fingerprintWith({ tool, path }), inputs, {
      readCurrentFile: none,
    });
    const text = plan.artifacts.find((a) => a.path === MIGRATION_RUNBOOK)!.content;
    expect(text).toContain(`## shipping: ${tool} (\`${path}\`)`);
    expect(text).toContain(apply);
  });

  it('plans no migration runbook and no note when the auditor found no migrations', async () => {
    const plan = await planBlueprint(fingerprintWith(null), inputs, { readCurrentFile: none });
    expect(plan.artifacts.map((a) => a.path)).not.toContain(MIGRATION_RUNBOOK);
    expect(plan.summary.notes.join('\n')).not.toMatch(/expand → migrate → contract/);
    const rollback = plan.artifacts.find((a) => a.path === 'docs/runbooks/rollback.md')!.content;
    expect(rollback).toContain('Database migrations are forward-only');
  });
});
