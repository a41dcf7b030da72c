import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { extractArchive } from './safe-extract.ts';
import { readTarGz, writeTarGz } from './ustar.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'prodsprint-tar-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const files = [
  { path: 'VERIFY.md', data: Buffer.from('# verify\n') },
  { path: 'keys/abc.pem', data: Buffer.alloc(1000, 7) },
  { path: 'empty.txt', data: Buffer.alloc(0) },
];

/** A tar made by GNU tar from a directory the test prepares. */
function gnuTar(prepare: (dir: string) => void, members: string[]): Buffer {
  const dir = tempDir();
  prepare(dir);
  return gzipSync(execFileSync('tar', ['--format=ustar', '-C', dir, '-cf', '-', ...members]));
}

describe('ustar bundle archive', () => {
  it('round-trips, and GNU tar lists and extracts what it wrote', () => {
    const archive = writeTarGz(files, 1_700_000_000);
    const read = readTarGz(archive);
    expect([...read.keys()]).toEqual(files.map((f) => f.path));
    expect(read.get('keys/abc.pem')).toEqual(files[1]!.data);
    const dir = tempDir();
    writeFileSync(join(dir, 'b.tar.gz'), archive);
    execFileSync('tar', ['-xzf', 'b.tar.gz'], { cwd: dir });
    expect(readFileSync(join(dir, 'keys/abc.pem'))).toEqual(files[1]!.data);
  });

  it('refuses names that escape or hide: absolute, parent, dot-files', () => {
    for (const path of ['/etc/passwd', '../x', 'a/../../x', '.hidden', 'a//b', 'a\\b']) {
      expect(() => writeTarGz([{ path, data: Buffer.alloc(1) }], 0), path).toThrow(/unsafe/);
    }
  });

  it('refuses archives with symlinks, hard links or directories made by other tools', () => {
    const withSymlink = gnuTar((dir) => symlinkSync('/etc/passwd', join(dir, 'link')), ['link']);
    expect(() =>
      readTarGz(
        Buffer.concat([Buffer.from('1f8b0800000000000003', 'hex'), withSymlink.subarray(10)]),
      ),
    ).toThrow(/link/);
    const withDir = gnuTar((dir) => mkdirSync(join(dir, 'sub')), ['sub']);
    expect(() =>
      readTarGz(Buffer.concat([Buffer.from('1f8b0800000000000003', 'hex'), withDir.subarray(10)])),
    ).toThrow(/directory/);
  });

  it('enforces file count, file size and expanded size limits', () => {
    const archive = writeTarGz(files, 0);
    expect(() =>
      readTarGz(archive, { maxFiles: 2, maxFileBytes: 1 << 20, maxTotalBytes: 1 << 20 }),
    ).toThrow(/more than 2 files/);
    expect(() =>
      readTarGz(archive, { maxFiles: 10, maxFileBytes: 999, maxTotalBytes: 1 << 20 }),
    ).toThrow(/larger than 999/);
    const bomb = writeTarGz([{ path: 'zeros', data: Buffer.alloc(10 << 20) }], 0);
    expect(bomb.length).toBeLessThan(100_000);
    expect(() =>
      readTarGz(bomb, { maxFiles: 10, maxFileBytes: 1 << 30, maxTotalBytes: 1 << 20 }),
    ).toThrow(/expands beyond/);
  });

  it('refuses trailing data, non-zero padding and a rewritten header', () => {
    const tar = readTarGzRaw(writeTarGz(files, 0));
    const withTrailer = Buffer.concat([tar, Buffer.alloc(512, 1)]);
    expect(() => readTarGz(regzip(withTrailer))).toThrow(/follows the end/);
    const badPadding = Buffer.from(tar);
    badPadding[512 + 9 + 3] = 1; // inside VERIFY.md's padding
    expect(() => readTarGz(regzip(badPadding))).toThrow(/padding/);
    const badHeader = Buffer.from(tar);
    badHeader[300] = 0x41; // uname, outside any parsed field
    expect(() => readTarGz(regzip(badHeader))).toThrow(/canonical/);
  });

  it('extracts only inside the destination and never through a planted symlink', () => {
    const archive = writeTarGz(files, 0);
    const dest = tempDir();
    expect(extractArchive(archive, dest)).toHaveLength(3);
    const planted = tempDir();
    const outside = tempDir();
    symlinkSync(outside, join(planted, 'keys'));
    expect(() => extractArchive(archive, planted)).toThrow(/not a plain directory/);
    expect(() => extractArchive(archive, dest)).toThrow(/EEXIST/);
  });
});

function readTarGzRaw(archive: Buffer): Buffer {
  return gunzipSync(archive);
}
function regzip(tar: Buffer): Buffer {
  return gzipSync(tar, { level: 6 });
}
