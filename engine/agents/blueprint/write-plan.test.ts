import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Plan } from './plan-model.ts';
import { writePlanArtifacts } from './write-plan.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const planOf = (paths: string[]) =>
  ({
    artifacts: paths.map((path) => ({ path, content: `content of ${path}\n` })),
  }) as unknown as Plan;

describe('writePlanArtifacts', () => {
  it('writes every artifact below the directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prodsprint-out-'));
    dirs.push(dir);
    const written = await writePlanArtifacts(planOf(['b/c.yml', 'a.txt']), dir);
    expect(written).toEqual(['a.txt', 'b/c.yml']);
    expect(await readFile(join(dir, 'b/c.yml'), 'utf8')).toBe('content of b/c.yml\n');
  });

  it('refuses a path that escapes the directory before writing anything', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prodsprint-out-'));
    dirs.push(dir);
    await expect(writePlanArtifacts(planOf(['ok.txt', '../escape.txt']), dir)).rejects.toThrow(
      /escapes/,
    );
    await expect(readFile(join(dir, 'ok.txt'), 'utf8')).rejects.toThrow();
  });
});
