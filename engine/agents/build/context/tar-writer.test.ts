import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { tarStream } from './tar-writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'prodsprint-tar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tarStream', () => {
  it('given files, a directory, a symlink and a long non-ASCII name, when GNU tar extracts the stream, then all come back with their modes', async () => {
    const source = join(dir, 'source.txt');
    writeFileSync(source, 'from disk\n');
    const long = `deep/${'d'.repeat(120)}/fichier-é.txt`;
    const archive = await buffer(
      tarStream([
        { name: 'deep', type: 'dir', mode: 0o750, mtime: 1_700_000_000 },
        {
          name: long,
          type: 'file',
          mode: 0o600,
          mtime: 1_700_000_000,
          content: Buffer.from('inline\n'),
        },
        { name: 'run.sh', type: 'file', mode: 0o755, mtime: 1_700_000_000, path: source, size: 10 },
        { name: 'link', type: 'symlink', mode: 0o777, mtime: 1_700_000_000, linkname: 'run.sh' },
      ]),
    );
    const out = join(dir, 'out');
    execFileSync('mkdir', ['-p', out]);
    execFileSync('tar', ['-x', '-C', out], { input: archive });
    expect(readFileSync(join(out, long), 'utf8')).toBe('inline\n');
    expect(statSync(join(out, long)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(out, 'run.sh'), 'utf8')).toBe('from disk\n');
    expect(statSync(join(out, 'run.sh')).mode & 0o777).toBe(0o755);
    expect(readFileSync(join(out, 'link'), 'utf8')).toBe('from disk\n');
  });
});
