import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Redactor } from '../../secrets/redact.ts';
import { environmentSecrets, ephemeralSecrets } from './environment-secrets.ts';

const dir = mkdtempSync(join(tmpdir(), 'prodsprint-env-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('environmentSecrets', () => {
  it('generates a secret once and gives the same value to a later process', () => {
    const first = environmentSecrets(dir, new Redactor()).get('JWT_SECRET');
    const again = environmentSecrets(dir, new Redactor()).get('JWT_SECRET');
    expect(first).toHaveLength(32);
    expect(again).toBe(first);
    expect(environmentSecrets(dir, new Redactor()).get('SESSION_SECRET')).not.toBe(first);
  });

  it('keeps the file readable by its owner only', () => {
    environmentSecrets(dir, new Redactor()).get('A_KEY');
    expect(statSync(join(dir, 'app-secrets.json')).mode & 0o777).toBe(0o600);
  });

  it('registers every value it hands out with the redactor', () => {
    const redactor = new Redactor();
    const value = environmentSecrets(dir, redactor).get('JWT_SECRET');
    expect(redactor.redact(`token=${value}`)).not.toContain(value);
    const throwaway = ephemeralSecrets(redactor).get('JWT_SECRET');
    expect(throwaway).not.toBe(value);
    expect(redactor.redact(throwaway)).not.toContain(throwaway);
  });
});
