/**
 * `local/redis:base`: the host's redis-server (Debian's redis-server package) and the libraries
 * `ldd` lists, nothing else (no shell, no redis-cli). It serves on 6379 as uid 1000 with nothing
 * persisted: a throwaway cache or queue for one test run, on a network only the tests can reach.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BaseImageInputMissingError } from './missing-input.ts';
import { copyIn, makeRoot, sha256, sharedLibraries, stampsOf } from './rootfs.ts';
import type { RootSpec } from './spec.ts';

export const REDIS_PORT = 6379;
const REDIS = '/usr/bin/redis-server';
const REDIS_IN_IMAGE = '/usr/local/bin/redis-server';

export async function redisRootSpec(): Promise<RootSpec> {
  if (!existsSync(REDIS)) {
    throw new BaseImageInputMissingError(
      `${REDIS} is not installed, so local/redis:base cannot be built (apt-get install -y --no-install-recommends redis-server)`,
      ['redis-server'],
    );
  }
  const libraries = await sharedLibraries([REDIS]);
  const hash = sha256(
    readFileSync(fileURLToPath(import.meta.url)),
    readFileSync(fileURLToPath(new URL('./rootfs.ts', import.meta.url))),
    stampsOf([REDIS, ...libraries]),
  );
  // Protected mode refuses clients from other hosts without a password; the network is the
  // boundary here (internal, per test run). No snapshots: the data dies with the container.
  const args = ['--bind', '0.0.0.0', '--port', String(REDIS_PORT), '--protected-mode', 'no'];
  const entrypoint = [REDIS_IN_IMAGE, ...args, '--save', '', '--appendonly', 'no', '--dir', '/tmp'];
  return {
    image: 'local/redis:base',
    hash,
    changes: [
      `ENTRYPOINT ${JSON.stringify(entrypoint)}`,
      'USER 1000:1000',
      'WORKDIR /tmp',
      `EXPOSE ${REDIS_PORT}`,
    ],
    assemble: () => {
      const root = makeRoot();
      // Debian's redis-server is a symlink to redis-check-rdb: the binary picks its role from
      // its name, so it is copied under the server's name.
      copyIn(root, REDIS, REDIS_IN_IMAGE);
      for (const library of libraries) copyIn(root, library);
      return root;
    },
  };
}
