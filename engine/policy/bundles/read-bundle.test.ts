import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BundleError } from './errors.ts';
import { DEFAULT_BUNDLE_LIMITS } from './files.ts';
import { readBundle } from './read-bundle.ts';
import { tarEntry, writeBundleTarGz } from './tar-writer.ts';
import { signedDemoPack, testSigner } from './testing/pack-fixture.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prodsprint-bundle-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const signer = testSigner('ES256');

async function archive(...members: Buffer[]): Promise<string> {
  const file = join(dir, 'bundle.tar.gz');
  await writeFile(file, gzipSync(Buffer.concat([...members, Buffer.alloc(1024)])));
  return file;
}

async function refusal(source: string, limits = DEFAULT_BUNDLE_LIMITS): Promise<BundleError> {
  const error = await readBundle(source, limits).then(
    () => new Error('bundle was read'),
    (e: unknown) => e,
  );
  if (error instanceof BundleError) return error;
  throw error;
}

describe('readBundle', () => {
  it('reads back an OPA-style tarball (leading / dropped) with the same members', async () => {
    const files = signedDemoPack(signer);
    const file = join(dir, 'pack.tar.gz');
    await writeFile(file, writeBundleTarGz(files));
    expect(await readBundle(file)).toEqual(files);
  });

  it('reads a bundle directory recursively', async () => {
    await mkdir(join(dir, 'b/demo'), { recursive: true });
    await writeFile(join(dir, 'b/.manifest'), '{}');
    await writeFile(join(dir, 'b/demo/x.rego'), 'package demo');
    expect([...(await readBundle(join(dir, 'b'))).keys()].sort()).toEqual([
      '.manifest',
      'demo/x.rego',
    ]);
  });

  it.each(['gnu', 'pax', 'ustar'])(
    'reads what GNU tar writes with -C dir . (--format=%s)',
    async (format) => {
      const files = signedDemoPack(signer);
      for (const [name, data] of files) {
        await mkdir(join(dir, 'src', name, '..'), { recursive: true });
        await writeFile(join(dir, 'src', name), data);
      }
      const file = join(dir, 'gnu.tar.gz');
      execFileSync('tar', [`--format=${format}`, '-czf', file, '-C', join(dir, 'src'), '.']);
      expect(await readBundle(file)).toEqual(files);
    },
  );

  it('honours a PAX path record, and checks it like any name', async () => {
    const pax = (path: string): Buffer => {
      const record = ` path=${path}\n`;
      const length = record.length + String(record.length + 3).length;
      return tarEntry('PaxHeaders/x', Buffer.from(`${length}${record}`), 'x');
    };
    const ok = await archive(
      pax('demo/long.rego'),
      tarEntry('ignored', Buffer.from('package demo')),
    );
    expect([...(await readBundle(ok)).keys()]).toEqual(['demo/long.rego']);
    const evil = await archive(pax('../../etc/cron.d/x'), tarEntry('ok.rego', Buffer.from('x')));
    expect(await refusal(evil)).toMatchObject({ code: 'unsafe_path', file: '../../etc/cron.d/x' });
  });

  it.each(['../evil.rego', '/../evil.rego', 'demo/../../evil.rego', 'demo//x.rego', 'a\\..\\b'])(
    'refuses the traversing member name %s',
    async (name) => {
      const error = await refusal(await archive(tarEntry(name, Buffer.from('x'))));
      expect(error).toMatchObject({ code: 'unsafe_path', file: name });
    },
  );

  it('refuses links in an archive', async () => {
    const error = await refusal(
      await archive(tarEntry('/demo/x.rego', Buffer.alloc(0), '2', '/etc/passwd')),
    );
    expect(error.message).toBe('/demo/x.rego: member is a link; a bundle holds regular files only');
  });

  it('refuses a symlink in a bundle directory', async () => {
    await mkdir(join(dir, 'b'));
    await symlink('/etc/passwd', join(dir, 'b/data.json'));
    expect(await refusal(join(dir, 'b'))).toMatchObject({ code: 'unsafe_path', file: 'data.json' });
  });

  it('refuses too many files, a too-large file and a too-large total', async () => {
    const file = await archive(
      tarEntry('a.rego', Buffer.alloc(300)),
      tarEntry('b.rego', Buffer.alloc(300)),
    );
    const limits = { maxFiles: 1, maxFileBytes: 1000, maxTotalBytes: 10_000 };
    expect((await refusal(file, limits)).message).toBe('b.rego: bundle holds more than 1 files');
    expect(await refusal(file, { ...limits, maxFiles: 5, maxFileBytes: 299 })).toMatchObject({
      code: 'too_large',
      file: 'a.rego',
    });
    expect(await refusal(file, { ...limits, maxFiles: 5, maxTotalBytes: 500 })).toMatchObject({
      code: 'too_large',
      file: 'b.rego',
    });
  });

  it('stops a gzip bomb at the total budget', async () => {
    const file = await archive(tarEntry('big.json', Buffer.alloc(4 << 20)));
    const error = await refusal(file, {
      maxFiles: 10,
      maxFileBytes: 1 << 30,
      maxTotalBytes: 1 << 20,
    });
    expect(error.message).toContain('archive expands beyond');
  });

  it('refuses a corrupt header checksum and non-gzip input', async () => {
    const entry = tarEntry('a.rego', Buffer.from('x'));
    entry[0] = 'b'.charCodeAt(0);
    expect((await refusal(await archive(entry))).message).toContain('checksum');
    await writeFile(join(dir, 'plain'), 'not gzip');
    expect(await refusal(join(dir, 'plain'))).toMatchObject({ code: 'bad_archive' });
  });
});
