/**
 * The build context Docker would send for `docker build -f <dockerfile> <dir>`: every file and
 * directory of the folder that the ignore file does not exclude (walked as the Docker CLI walks
 * it: an excluded directory is skipped unless a `!` exception names a path inside it), owned by
 * root, symlinks kept as symlinks. The ignore file is `<Dockerfile>.dockerignore` when it exists
 * (BuildKit's per-Dockerfile ignore file), else `.dockerignore` at the context root. `.git` is
 * sent unless ignored, as Docker sends it.
 *
 * The Dockerfile the legacy builder reads travels inside this tar. Where Docker would put the
 * original in the context (it is inside the folder and not ignored), it stays at its path and a
 * translated text goes under another name; the daemon then drops that name because the tar's
 * `.dockerignore` lists it, which is exactly what the Docker CLI does for a Dockerfile outside
 * the context (builder/remotecontext removeDockerfile).
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { cleanPath, DockerignoreMatcher, readDockerignore } from './dockerignore.ts';
import type { TarEntry } from './tar-writer.ts';

export interface ContextEntry {
  /** Path relative to the context, `/`-separated. */
  path: string;
  type: 'file' | 'dir' | 'symlink';
  /** Absolute path on disk. */
  source: string;
  mode: number;
  mtime: number;
  size: number;
  linkname?: string;
}

/** Which ignore file applies to a Dockerfile, and its patterns. */
export function ignoreFileFor(
  contextDir: string,
  dockerfilePath: string,
): { file: string | undefined; patterns: string[] } {
  const own = `${dockerfilePath}.dockerignore`;
  const root = join(contextDir, '.dockerignore');
  const file = existsSync(own) ? own : existsSync(root) ? root : undefined;
  return { file, patterns: file ? readDockerignore(readFileSync(file, 'utf8')) : [] };
}

/** Lists the context as Docker would send it, in walk order (parents before children). */
export function listContext(contextDir: string, matcher: DockerignoreMatcher): ContextEntry[] {
  const entries: ContextEntry[] = [];
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      const source = join(dir, name);
      const stat = lstatSync(source);
      const excluded = matcher.excludes(path);
      if (stat.isDirectory()) {
        if (excluded && !(matcher.hasExceptions && matcher.mayIncludeBelow(path))) continue;
        if (!excluded)
          entries.push({
            path,
            type: 'dir',
            source,
            mode: stat.mode & 0o7777,
            mtime: stat.mtimeMs / 1000,
            size: 0,
          });
        walk(source, path);
        continue;
      }
      if (excluded) continue;
      const base = { path, source, mode: stat.mode & 0o7777, mtime: stat.mtimeMs / 1000 };
      if (stat.isFile()) entries.push({ ...base, type: 'file', size: stat.size });
      else if (stat.isSymbolicLink())
        entries.push({ ...base, type: 'symlink', size: 0, linkname: readlinkSync(source) });
    }
  };
  walk(contextDir, '');
  return entries;
}

export const toTarEntry = (entry: ContextEntry): TarEntry => ({
  name: entry.path,
  type: entry.type,
  mode: entry.mode,
  mtime: entry.mtime,
  size: entry.size,
  path: entry.type === 'file' ? entry.source : undefined,
  linkname: entry.linkname,
});

export interface PreparedContext {
  entries: TarEntry[];
  /** Path of the Dockerfile inside the tar (the build's `dockerfile` parameter). */
  dockerfile: string;
  /** Context entries (for staging side files). */
  files: ContextEntry[];
}

/**
 * The tar entries of the build context with `dockerfileText` as the Dockerfile the builder
 * reads. `dockerfilePath` is absolute or relative to the context. `overrides` replaces the
 * content of files the context sends (context-relative paths), e.g. a yarn.lock pointed at the
 * package relay: the checkout itself is never written.
 */
export function prepareContext(
  contextDir: string,
  dockerfilePath: string,
  dockerfileText: string,
  overrides: Record<string, string> = {},
): PreparedContext {
  const absolute = isAbsolute(dockerfilePath) ? dockerfilePath : join(contextDir, dockerfilePath);
  const ignore = ignoreFileFor(contextDir, absolute);
  const matcher = new DockerignoreMatcher(ignore.patterns);
  const files = listContext(contextDir, matcher);
  const now = Date.now() / 1000;
  const entries = files.map((entry): TarEntry => {
    const replaced = entry.type === 'file' ? overrides[entry.path] : undefined;
    return replaced === undefined
      ? toTarEntry(entry)
      : {
          name: entry.path,
          type: 'file',
          mode: entry.mode,
          mtime: now,
          content: Buffer.from(replaced),
        };
  });
  const rel = relative(contextDir, absolute).split(sep).join('/');
  const inside = !rel.startsWith('../') && !isAbsolute(rel);
  const rootIgnoreApplies =
    ignore.file === undefined || ignore.file === join(contextDir, '.dockerignore');
  const original = existsSync(absolute) ? readFileSync(absolute, 'utf8') : undefined;
  const sent = files.some((entry) => entry.path === rel);
  const rootIgnore = files.find((entry) => entry.path === '.dockerignore');
  // As the CLI does: the Dockerfile and .dockerignore are always sent; the daemon removes them
  // again when .dockerignore matches them.
  if (inside && rootIgnoreApplies && (original === dockerfileText || !sent)) {
    const file: TarEntry = {
      name: cleanPath(rel),
      type: 'file',
      mode: 0o644,
      mtime: now,
      content: Buffer.from(dockerfileText),
    };
    const at = entries.findIndex((entry) => entry.name === file.name);
    if (at >= 0) entries[at] = file;
    else entries.push(file);
    if (!rootIgnore && ignore.file)
      entries.push({
        name: '.dockerignore',
        type: 'file',
        mode: 0o644,
        mtime: now,
        path: ignore.file,
        size: lstatSync(ignore.file).size,
      });
    return { entries, dockerfile: file.name, files };
  }
  const name = `.dockerfile.${createHash('sha256').update(dockerfileText).digest('hex').slice(0, 20)}`;
  const keptIgnore = rootIgnore ? readFileSync(rootIgnore.source, 'utf8') : '.dockerignore\n';
  const withName = Buffer.from(`${keptIgnore}\n${name}\n`);
  const filtered = entries.filter((entry) => entry.name !== '.dockerignore');
  filtered.push({
    name: '.dockerignore',
    type: 'file',
    mode: 0o644,
    mtime: now,
    content: withName,
  });
  filtered.push({
    name,
    type: 'file',
    mode: 0o644,
    mtime: now,
    content: Buffer.from(dockerfileText),
  });
  return { entries: filtered, dockerfile: name, files };
}
