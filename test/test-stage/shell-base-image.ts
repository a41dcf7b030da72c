/**
 * A tiny base image with a POSIX shell for build tests (RECIPES.md, "A runtime image without any
 * registry"): the host's dash as /bin/sh, a few coreutils and the libraries `ldd` lists, imported
 * with `docker import`. Nothing is pulled. Idempotent: an existing image is reused.
 */
import type Docker from 'dockerode';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { importRoot } from '../../engine/tools/base-images/rootfs.ts';

export const SHELL_IMAGE = 'local/prodsprint-test-shell:1';
const TOOLS = ['cat', 'ls', 'mkdir', 'chmod', 'env', 'stat', 'head', 'rm'];

function copyWithLibraries(binary: string, root: string): void {
  const target = join(root, binary);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(binary, target);
  chmodSync(target, 0o755);
  const libraries = execFileSync('ldd', [binary], { encoding: 'utf8' })
    .split('\n')
    .map((line) =>
      line
        .trim()
        .split(' ')
        .find((word) => word.startsWith('/')),
    )
    .filter((path): path is string => Boolean(path));
  for (const library of libraries) {
    mkdirSync(dirname(join(root, library)), { recursive: true });
    copyFileSync(library, join(root, library));
  }
}

/** Builds the shell image once on this engine. */
export async function ensureShellImage(docker: Docker): Promise<string> {
  const present = await docker
    .getImage(SHELL_IMAGE)
    .inspect()
    .then(() => true)
    .catch(() => false);
  if (present) return SHELL_IMAGE;
  const root = mkdtempSync(join(tmpdir(), 'prodsprint-shell-root-'));
  try {
    for (const dir of ['bin', 'usr/bin', 'tmp', 'etc', 'root'])
      mkdirSync(join(root, dir), { recursive: true });
    chmodSync(join(root, 'tmp'), 0o1777);
    copyWithLibraries('/usr/bin/dash', root);
    symlinkSync('/usr/bin/dash', join(root, 'bin/sh'));
    for (const tool of TOOLS) {
      const path = execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
      copyWithLibraries(path, root);
      if (path.startsWith('/usr/bin/')) symlinkSync(path, join(root, 'bin', tool));
      else symlinkSync(path, join(root, 'usr/bin', tool));
    }
    execFileSync('sh', ['-c', `printf 'root:x:0:0::/root:/bin/sh\\n' > ${root}/etc/passwd`]);
    const [repo, tag] = SHELL_IMAGE.split(':') as [string, string];
    await importRoot(docker, root, {
      repo,
      tag,
      changes: ['ENV PATH=/usr/local/bin:/usr/bin:/bin', 'CMD ["/bin/sh"]'],
    });
    return SHELL_IMAGE;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
