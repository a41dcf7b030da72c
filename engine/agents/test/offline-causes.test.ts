import { describe, expect, it } from 'vitest';
import { offlineCauseWatcher } from './offline-causes.ts';

describe('offlineCauseWatcher', () => {
  it('given Prisma’s uninitialised client in the output, then the missing input is Prisma’s engines', () => {
    const watcher = offlineCauseWatcher();
    for (const line of [
      'FAIL src/tests/services/auth.service.test.ts',
      '@prisma/client did not initialize yet. Please run "prisma generate" and try to import it again.',
      'Tests: 1 failed, 4 passed, 5 total',
    ])
      watcher.see(line);
    const cause = watcher.cause();
    expect(cause?.input).toEqual({
      kind: 'package-mirror',
      name: 'Prisma engines (binaries.prisma.sh)',
    });
    expect(cause?.remedy).toContain('PRISMA_ENGINES_MIRROR');
  });

  it('given an ordinary failing test, then there is no offline cause', () => {
    const watcher = offlineCauseWatcher();
    watcher.see('expect(received).toBe(expected) // Object.is equality');
    watcher.see('run prisma generate after changing the schema'); // one sign alone is not enough
    expect(watcher.cause()).toBeNull();
  });
});
