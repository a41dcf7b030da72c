import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KINDS } from '../../agents/test/index.ts';
import { Redactor } from '../../secrets/redact.ts';
import { credentialsFor, credentialsPath, forgetCredentials } from './backing-credentials.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function environmentDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'prodsprint-credentials-'));
  dirs.push(dir);
  return join(dir, 'environments', 'shop--staging');
}

describe('credentialsFor', () => {
  it('generates each password once, keeps it in a 0600 file, and registers it on every read', () => {
    const dir = environmentDir();
    const first = credentialsFor(dir, [KINDS.postgres, KINDS.redis], new Redactor());
    const postgres = first.get('postgres')!;
    expect(postgres).toMatchObject({ user: 'app', database: 'app' });
    expect(postgres.password).toMatch(/^[0-9a-f]{36}$/);
    expect(first.get('redis')).toEqual({ user: null, password: null, database: null });
    expect(statSync(credentialsPath(dir)).mode & 0o777).toBe(0o600);

    const redactor = new Redactor();
    const again = credentialsFor(dir, [KINDS.postgres, KINDS.rabbitmq], redactor);
    expect(again.get('postgres')).toEqual(postgres);
    expect(again.get('rabbitmq')?.password).not.toBe(postgres.password);
    expect(redactor.redact(`password ${postgres.password}`)).not.toContain(postgres.password);
    expect(readFileSync(credentialsPath(dir), 'utf8')).toContain('"rabbitmq"');
  });

  it('forgets them all, so the next read makes new ones', () => {
    const dir = environmentDir();
    const before = credentialsFor(dir, [KINDS.mysql], new Redactor()).get('mysql')!;
    forgetCredentials(dir);
    const after = credentialsFor(dir, [KINDS.mysql], new Redactor()).get('mysql')!;
    expect(after.password).not.toBe(before.password);
  });
});
