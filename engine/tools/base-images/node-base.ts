/**
 * `local/node:base`: the host's Node binary and the libraries `ldd` lists, nothing else (no
 * shell, no npm). ENTRYPOINT is node, so `CMD ["/app/server.ts"]` runs a script; Dockerfiles that
 * must also work on a public node image set `ENTRYPOINT ["node"]` themselves (node is on PATH).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { copyIn, makeRoot, sha256, sharedLibraries } from './rootfs.ts';
import type { RootSpec } from './spec.ts';

const NODE_IN_IMAGE = '/usr/local/bin/node';

export async function nodeRootSpec(): Promise<RootSpec> {
  const node = process.execPath;
  const libraries = await sharedLibraries([node]);
  const hash = sha256(
    // How the root fs is assembled is an input too: changing it must rebuild the image.
    readFileSync(fileURLToPath(import.meta.url)),
    readFileSync(fileURLToPath(new URL('./rootfs.ts', import.meta.url))),
    process.version,
    node,
    ...libraries,
  );
  return {
    image: 'local/node:base',
    hash,
    changes: [
      `ENTRYPOINT ["${NODE_IN_IMAGE}"]`,
      'WORKDIR /app',
      'ENV PATH=/usr/local/bin:/usr/bin:/bin',
    ],
    assemble: () => {
      const root = makeRoot();
      copyIn(root, node, NODE_IN_IMAGE);
      for (const library of libraries) copyIn(root, library);
      return root;
    },
  };
}
