/**
 * Test output that says the tests failed for want of something the offline machine cannot
 * fetch, not because the code is wrong: the stage then stops with that input named, like a
 * build that needs a mirror (issue 14), instead of "fix the failing tests".
 *
 * Prisma: `@prisma/client` is generated at install (`prisma generate`), which downloads
 * Prisma's query engine from binaries.prisma.sh. Offline the download fails quietly and every
 * test that touches the client throws "did not initialize yet. Please run "prisma generate"".
 * Patterns are plain substrings: test output is untrusted text.
 */
import { OfflineInputMissingError } from '../../system/offline-input.ts';

const PRISMA_SIGNS = ['did not initialize yet', 'prisma generate'];

/** Watches a test run's lines; `cause()` is the missing input they showed, if any. */
export function offlineCauseWatcher(): {
  see(line: string): void;
  cause(): OfflineInputMissingError | null;
} {
  let prisma = false;
  return {
    see(line) {
      if (!prisma && PRISMA_SIGNS.every((sign) => line.includes(sign))) prisma = true;
    },
    cause() {
      if (!prisma) return null;
      return new OfflineInputMissingError(
        { kind: 'package-mirror', name: 'Prisma engines (binaries.prisma.sh)' },
        'the tests use the Prisma client, which was never generated: `prisma generate` downloads Prisma’s engines from binaries.prisma.sh, which builds here cannot reach',
        'Mirror Prisma’s engines inside your network and point the repository’s install at them (Prisma reads PRISMA_ENGINES_MIRROR), or commit the generated client; then run the sprint again.',
      );
    },
  };
}
