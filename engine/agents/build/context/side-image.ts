/**
 * The side image: a `FROM scratch` image of files the translated Dockerfile copies with
 * `COPY --from=prodsprint-side` because the legacy builder cannot make them itself: the bodies
 * of heredoc COPYs and context files under `--chmod` with the modes BuildKit would give them.
 * Built from its own small tar, so none of these files ever appears in the service's build
 * context (a `COPY . .` there copies exactly what Docker would).
 */
import { applyChmod } from '../dockerfile/file-mode.ts';
import type { SideFile } from '../dockerfile/translate-copy.ts';
import type { ContextEntry } from './build-context.ts';
import type { TarEntry } from './tar-writer.ts';

export const SIDE_DOCKERFILE = 'Dockerfile.prodsprint-side';

/** The leading segments of a COPY source that hold no wildcard (`a/b/*.sh` → `a/b`). */
function literalPrefix(source: string): string {
  const parts: string[] = [];
  for (const part of source.split('/')) {
    if (/[*?[\\]/.test(part)) break;
    parts.push(part);
  }
  return parts.join('/');
}

/** Tar entries of the side image's context, its Dockerfile included. */
export function sideImageEntries(sideFiles: SideFile[], files: ContextEntry[]): TarEntry[] {
  const entries: TarEntry[] = [];
  const mtime = Date.now() / 1000;
  for (const file of sideFiles) {
    if (file.kind === 'content') {
      entries.push({
        name: file.path,
        type: 'file',
        mode: file.mode,
        mtime,
        content: Buffer.from(file.content),
      });
      continue;
    }
    const staged = new Set<string>();
    for (const source of file.sources) {
      const prefix = literalPrefix(source);
      for (const entry of files) {
        const under = !prefix || entry.path === prefix || entry.path.startsWith(`${prefix}/`);
        if (!under || staged.has(entry.path)) continue;
        staged.add(entry.path);
        entries.push({
          name: `${file.path}/${entry.path}`,
          type: entry.type,
          mode:
            entry.type === 'symlink'
              ? entry.mode
              : applyChmod(file.chmod, entry.mode, entry.type === 'dir'),
          mtime: entry.mtime,
          size: entry.size,
          path: entry.type === 'file' ? entry.source : undefined,
          linkname: entry.linkname,
        });
      }
    }
  }
  entries.push({
    name: SIDE_DOCKERFILE,
    type: 'file',
    mode: 0o644,
    mtime,
    content: Buffer.from('FROM scratch\nCOPY . /\n'),
  });
  entries.push({
    name: '.dockerignore',
    type: 'file',
    mode: 0o644,
    mtime,
    content: Buffer.from(`.dockerignore\n${SIDE_DOCKERFILE}\n`),
  });
  return entries;
}
