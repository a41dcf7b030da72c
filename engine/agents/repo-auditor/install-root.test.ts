import { describe, expect, it } from 'vitest';
import { folderInside, generatedContextOf, installRootOf, serviceDirOf } from './install-root.ts';

const claim = <T extends string>(value: T) => ({ value, evidence: [{ file: value, line: 1 }] });
const service = (
  path: string,
  lockfile: string | null,
  language: 'typescript' | 'python' = 'typescript',
) => ({
  path,
  lockfile: lockfile ? claim(lockfile) : null,
  language: claim(language),
});

describe('install root', () => {
  it('is the workspace root for a member whose lockfile lies above it', () => {
    const member = service('apps/web', 'pnpm-lock.yaml');
    expect(installRootOf(member)).toBe('.');
    expect(folderInside(serviceDirOf(member), installRootOf(member))).toBe('apps/web');
    expect(generatedContextOf(member)).toBe('.');
    const nested = service('platform/apps/web', 'platform/pnpm-lock.yaml');
    expect(installRootOf(nested)).toBe('platform');
    expect(folderInside(serviceDirOf(nested), installRootOf(nested))).toBe('apps/web');
  });

  it('is the service folder when the lockfile is its own, absent, or elsewhere', () => {
    expect(installRootOf(service('backend', 'backend/package-lock.json'))).toBe('backend');
    expect(
      folderInside('backend', installRootOf(service('backend', 'backend/package-lock.json'))),
    ).toBe('');
    expect(installRootOf(service('backend', null))).toBe('backend');
    expect(installRootOf(service('backend', 'frontend/yarn.lock'))).toBe('backend');
    expect(installRootOf(service('.', 'package-lock.json'))).toBe('.');
  });

  it('builds only Node members from the workspace root (the other templates copy their own folder)', () => {
    expect(generatedContextOf(service('svc/api', 'uv.lock', 'python'))).toBe('svc/api');
  });
});
