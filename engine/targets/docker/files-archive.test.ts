import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { filesArchive, filesDigest } from './files-archive.ts';

// The archive is read back by GNU tar, the same format reader family the Docker Engine's
// archive API is checked against; nothing is extracted to disk (listing and stdout only).
const tar = (args: string[], archive: Buffer) =>
  execFileSync('tar', args, { input: archive, encoding: 'utf8' });

describe('filesArchive', () => {
  it('given secrets for a container, when archived, then GNU tar lists each root-owned 0444 under its path with its content', () => {
    const long = `/etc/${'nested/'.repeat(20)}password`;
    const archive = filesArchive({
      '/run/secrets/db-password': 'db-78n9n',
      [long]: 'x'.repeat(700),
    });
    expect(archive.length % 512).toBe(0);
    const listing = tar(['-tv', '--numeric-owner', '-f', '-'], archive).trim().split('\n');
    expect(listing).toHaveLength(2);
    expect(listing[1]).toMatch(/^-r--r--r-- 0\/0 +8 .* run\/secrets\/db-password$/);
    expect(listing[0]).toMatch(new RegExp(`^-r--r--r-- 0/0 +700 .* ${long.slice(1)}$`));
    expect(tar(['-xO', '-f', '-', 'run/secrets/db-password'], archive)).toBe('db-78n9n');
  });

  it('given a path that is relative, climbs or is too long, when archived, then it is refused', () => {
    expect(() => filesArchive({ 'run/secrets/x': 'a' })).toThrow(/absolute and normal/);
    expect(() => filesArchive({ '/run/secrets/../x': 'a' })).toThrow(/absolute and normal/);
    expect(() => filesArchive({ [`/${'a'.repeat(101)}`]: 'a' })).toThrow(/too long/);
  });

  it('given the same files in another order, then the digest is the same, and another content changes it', () => {
    const a = filesDigest({ '/a': '1', '/b': '2' });
    expect(filesDigest({ '/b': '2', '/a': '1' })).toBe(a);
    expect(filesDigest({ '/a': '1', '/b': '3' })).not.toBe(a);
    expect(filesDigest(undefined)).toBe(filesDigest({}));
  });
});
