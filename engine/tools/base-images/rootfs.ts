/**
 * Assembling a runtime image without any registry (RECIPES.md): a root file system made of host
 * files, imported with `docker import`. The image carries the hash of its inputs as a label so
 * an unchanged input is never rebuilt (vfs copies every layer in full).
 */
import type Docker from 'dockerode';
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

export const HASH_LABEL = 'prodsprint.input-hash';
/** The unprivileged user every runtime image runs as (Dockerfiles say `USER 1000`). */
export const APP_UID = 1000;

/** The dynamic loader and every library `ldd` resolves for any of `files`, sorted. */
export async function sharedLibraries(files: string[]): Promise<string[]> {
  if (files.length === 0) return [];
  // ldd exits 1 when one of several files is not dynamic (a pure-data .so): its output still
  // lists the others' libraries, which is all we need.
  const stdout = await promisify(execFile)('ldd', files, { maxBuffer: 16 * 1024 * 1024 }).then(
    (result) => result.stdout,
    (error: { stdout?: string }) => error.stdout ?? '',
  );
  const paths = [...stdout.matchAll(/=>\s+(\/\S+)|^\s+(\/\S+\.so[^\s]*)/gm)].map(
    (match) => (match[1] ?? match[2]) as string,
  );
  return [...new Set(paths)].sort();
}

/** An empty root: / 0755, /tmp 1777, /app owned by the app user, passwd and CA bundle. */
export function makeRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'prodsprint-rootfs-'));
  // mkdtemp makes the directory 0700: as the image's / it would lock out USER 1000.
  chmodSync(root, 0o755);
  for (const dir of ['tmp', 'etc/ssl/certs', 'app'])
    mkdirSync(join(root, dir), { recursive: true });
  chmodSync(join(root, 'tmp'), 0o1777);
  // /app is the app user's home and working directory: tests run there write their reports.
  chownSync(join(root, 'app'), APP_UID, APP_UID);
  copyFileSync(
    '/etc/ssl/certs/ca-certificates.crt',
    join(root, 'etc/ssl/certs/ca-certificates.crt'),
  );
  writeFileSync(
    join(root, 'etc/passwd'),
    `root:x:0:0::/root:/nonexistent\napp:x:${APP_UID}:${APP_UID}::/app:/nonexistent\n`,
  );
  writeFileSync(join(root, 'etc/group'), `root:x:0:\napp:x:${APP_UID}:\n`);
  return root;
}

/** Copies a host file to the same path under `root` (symlinks followed). */
export function copyIn(root: string, hostPath: string, imagePath = hostPath): void {
  mkdirSync(join(root, dirname(imagePath)), { recursive: true });
  copyFileSync(hostPath, join(root, imagePath));
}

/** Makes `imagePath` under `root`, owned by the app user (a server's data or socket dir). */
export function ownedDir(root: string, imagePath: string): void {
  const dir = join(root, imagePath);
  mkdirSync(dir, { recursive: true });
  chownSync(dir, APP_UID, APP_UID);
  chmodSync(dir, 0o700);
}

/**
 * Path, size and mtime of each file (symlinks followed), one a line: an input hash that notices
 * a package upgrade without reading tens of MB on every call.
 */
export function stampsOf(files: string[]): string {
  return [...new Set(files)]
    .sort()
    .map((file) => {
      const stat = statSync(file);
      return `${file} ${stat.size} ${stat.mtimeMs}`;
    })
    .join('\n');
}

/** `tar -C root -c .` into `docker import` with the given Dockerfile-style changes. */
export async function importRoot(
  docker: Docker,
  root: string,
  image: { repo: string; tag: string; changes: string[] },
  onProgress?: (line: string) => void,
): Promise<void> {
  const tar = spawn('tar', ['-C', root, '--numeric-owner', '-c', '.'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tarError = '';
  tar.stderr.on('data', (chunk: Buffer) => (tarError += chunk.toString()));
  const tarDone = new Promise<number | null>((resolve) => tar.on('close', resolve));
  try {
    const stream: NodeJS.ReadableStream = await docker.importImage(tar.stdout, image);
    await followProgress(docker, stream, onProgress);
  } catch (error) {
    // The engine refused the stream: nobody reads tar's output any more, so it would block
    // on the pipe forever.
    tar.kill();
    await tarDone;
    throw error;
  }
  const code = await tarDone;
  if (code !== 0) throw new Error(`tar of the ${image.repo} root fs failed: ${tarError.trim()}`);
}

export async function labelOf(docker: Docker, image: string): Promise<string | undefined> {
  try {
    const info = await docker.getImage(image).inspect();
    return info.Config.Labels?.[HASH_LABEL];
  } catch {
    return undefined;
  }
}

/** Follows a Docker progress stream; rejects with the first error event. */
export function followProgress(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  onProgress?: (line: string) => void,
): Promise<Array<{ stream?: string; status?: string; error?: string }>> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, output: Array<{ error?: string }>) => {
        const failed = output?.find((event) => event.error);
        if (error) reject(error);
        else if (failed) reject(new Error(failed.error));
        else resolve(output);
      },
      (event: { stream?: string; status?: string }) => {
        const text = (event.stream ?? event.status ?? '').trimEnd();
        if (text && onProgress) for (const line of text.split('\n')) onProgress(line);
      },
    );
  });
}

export function sha256(...parts: Array<string | Buffer>): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}
