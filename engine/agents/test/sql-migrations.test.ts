import { describe, expect, it } from 'vitest';
import { planSqlMigrations } from './sql-migrations.ts';

const files = (entries: Record<string, string>) =>
  Object.entries(entries).map(([path, text]) => ({ path, text }));
const order = (entries: Record<string, string>) =>
  planSqlMigrations(files(entries))?.steps.map((step) => step.file);

describe('planSqlMigrations', () => {
  it('applies only the up part of dbmate files, by version', () => {
    const plan = planSqlMigrations(
      files({
        '20260102000000_b.sql':
          '-- migrate:up\nCREATE TABLE b ();\n-- migrate:down\nDROP TABLE b;\n',
        '20260101000000_a.sql':
          '-- migrate:up transaction:false\nCREATE TABLE a ();\n\n-- migrate:down\nDROP TABLE a;\n',
        'README.md': 'not SQL',
      }),
    );
    expect(plan?.format).toBe('dbmate');
    expect(plan?.steps).toEqual([
      { file: '20260101000000_a.sql', sql: '\nCREATE TABLE a ();\n\n' },
      { file: '20260102000000_b.sql', sql: '\nCREATE TABLE b ();\n' },
    ]);
  });

  it('applies the up part of goose files', () => {
    const plan = planSqlMigrations(
      files({
        '00001_init.sql': '-- +goose Up\nCREATE TABLE a ();\n-- +goose Down\nDROP TABLE a;\n',
      }),
    );
    expect(plan).toEqual({
      format: 'goose',
      steps: [{ file: '00001_init.sql', sql: '\nCREATE TABLE a ();\n' }],
    });
  });

  it('runs golang-migrate up files in numeric order and never a down file', () => {
    const plan = planSqlMigrations(
      files({
        '10_ten.up.sql': 'SELECT 10;',
        '10_ten.down.sql': 'SELECT -10;',
        '9_nine.up.sql': 'SELECT 9;',
        '9_nine.down.sql': 'SELECT -9;',
      }),
    );
    expect(plan?.format).toBe('golang-migrate');
    expect(plan?.steps.map((step) => step.file)).toEqual(['9_nine.up.sql', '10_ten.up.sql']);
  });

  it('orders flyway scripts by version, repeatables last, undo never', () => {
    const plan = planSqlMigrations(
      files({
        'V1_10__later.sql': '',
        'V1_2__earlier.sql': '',
        'V2__two.sql': '',
        'R__views.sql': '',
        'U2__undo_two.sql': '',
        'V1__first.sql': '',
      }),
    );
    expect(plan?.format).toBe('flyway');
    expect(plan?.steps.map((step) => step.file)).toEqual([
      'V1__first.sql',
      'V1_2__earlier.sql',
      'V1_10__later.sql',
      'V2__two.sql',
      'R__views.sql',
    ]);
  });

  it('runs prisma migration folders in order', () => {
    expect(
      order({
        '20260201_second/migration.sql': 'SELECT 2;',
        '20260101_first/migration.sql': 'SELECT 1;',
        'migration_lock.toml': 'provider = "postgresql"',
      }),
    ).toEqual(['20260101_first/migration.sql', '20260201_second/migration.sql']);
  });

  it('runs plain SQL files by name, numbers as numbers', () => {
    expect(order({ '2-b.sql': '', '10-c.sql': '', '1-a.sql': '' })).toEqual([
      '1-a.sql',
      '2-b.sql',
      '10-c.sql',
    ]);
  });

  it('has nothing to run for code migrations', () => {
    expect(planSqlMigrations(files({ 'versions/abc_init.py': 'def upgrade(): ...' }))).toBeNull();
  });
});
