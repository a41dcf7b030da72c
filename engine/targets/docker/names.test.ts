import { describe, expect, it } from 'vitest';
import { containerName, scopeFilter, serverName, slug, specHash } from './names.ts';

describe('docker target names', () => {
  const scope = { project: 'shop', environment: 'prod' };

  it('derives container and server names from project, environment, version and replica', () => {
    expect(containerName(scope, 'v1', 0)).toBe('ps-shop-prod-v1-0');
    expect(serverName('v1', 2)).toBe('v1_2');
  });

  it('keeps distinct versions distinct even when they clean to the same text', () => {
    expect(slug('v1.0')).not.toBe(slug('v1-0'));
    expect(slug('v1-0')).toBe('v1-0');
    expect(slug('V1.0')).toMatch(/^v1-0-[0-9a-f]{12}$/);
    expect(() => slug('...')).toThrow(/cannot derive/);
  });

  it('hashes the spec independently of env order, and differently when anything changes', () => {
    const a = specHash({ version: 'v1', image: 'app:v1', env: { A: '1', B: '2' } }, 8080);
    expect(specHash({ version: 'v1', image: 'app:v1', env: { B: '2', A: '1' } }, 8080)).toBe(a);
    expect(specHash({ version: 'v1', image: 'app:v1', env: { A: '1', B: '3' } }, 8080)).not.toBe(a);
    expect(
      specHash({ version: 'v1', image: 'app:v1', env: { A: '1', B: '2' }, replicas: 2 }, 8080),
    ).not.toBe(a);
  });

  it('filters by ownership labels, optionally one version', () => {
    expect(JSON.parse(scopeFilter(scope, 'v3'))).toEqual({
      label: [
        'prodsprint.managed=true',
        'prodsprint.project=shop',
        'prodsprint.environment=prod',
        'prodsprint.version=v3',
      ],
    });
  });
});
