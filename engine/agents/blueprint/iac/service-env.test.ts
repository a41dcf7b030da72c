import { describe, expect, it } from 'vitest';
import { envRoleOf, envSourceOf, unplannedStoreVars } from './service-env.ts';

describe('what the variables the code reads are for', () => {
  it('given connection variables, then each has its role; other names have none', () => {
    expect(envRoleOf('DATABASE_URL')).toBe('db-url');
    expect(envRoleOf('PGHOST')).toBe('db-host');
    expect(envRoleOf('redis_url')).toBe('cache-url');
    expect(envRoleOf('PORT')).toBe('port');
    expect(envRoleOf('STRIPE_API_KEY')).toBe('secret');
    expect(envRoleOf('JWT_SECRET')).toBe('secret');
    expect(envRoleOf('LOG_LEVEL')).toBeNull();
    expect(envRoleOf('NODE_ENV')).toBeNull();
  });

  it('given the stores a plan creates, then parts are wired, URLs with passwords go to a secret', () => {
    const both = { db: true, cache: true };
    expect(envSourceOf('PGHOST', both)).toEqual({ kind: 'wired', role: 'db-host' });
    expect(envSourceOf('DATABASE_URL', both)).toEqual({ kind: 'secret', role: 'db-url' });
    expect(envSourceOf('REDIS_URL', both)).toEqual({ kind: 'wired', role: 'cache-url' });
    const none = { db: false, cache: false };
    expect(envSourceOf('PGHOST', none)).toEqual({ kind: 'none' });
    expect(envSourceOf('PGPASSWORD', none)).toEqual({ kind: 'secret', role: 'db-password' });
    expect(unplannedStoreVars(['PGHOST', 'REDIS_URL', 'PORT', 'API_TOKEN'], none)).toEqual([
      'PGHOST',
      'REDIS_URL',
    ]);
  });

  it('given a hostile name, then classifying it stays linear', () => {
    const started = performance.now();
    envRoleOf(`${'A_'.repeat(50_000)}X`);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
