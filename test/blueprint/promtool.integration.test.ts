/**
 * Generated alert and burn-rate SLO rules load in Prometheus's own rule checker (`promtool check
 * rules`, Debian `prometheus`), so PromQL and rule-file structure are checked by the real thing.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { artifactsMatching } from './cases.ts';

const PROMTOOL = '/usr/bin/promtool';
const present = existsSync(PROMTOOL);
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function check(files: Array<{ name: string; content: string }>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'prodsprint-promtool-'));
  dirs.push(dir);
  const paths: string[] = [];
  for (const [i, f] of files.entries()) {
    const path = join(dir, String(i), f.name);
    await mkdir(join(dir, String(i)));
    await writeFile(path, f.content);
    paths.push(path);
  }
  return promisify(execFile)(PROMTOOL, ['check', 'rules', ...paths]).then(
    () => '',
    (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
  );
}

describe.skipIf(!present)('Prometheus rules in promtool', () => {
  it('accepts every generated alert and SLO rule file', async () => {
    const rules = await artifactsMatching(/^observability\/prometheus\/.+\.yaml$/);
    expect(rules.length).toBeGreaterThan(0);
    const files = rules.map((r) => ({ name: r.path.split('/').pop()!, content: r.content }));
    expect(await check(files)).toBe('');
  });

  it('rejects a rule with broken PromQL (the check is real)', async () => {
    const bad =
      'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: sum(rate(x[5m])\n';
    expect(await check([{ name: 'bad.yaml', content: bad }])).toMatch(/FAILED|error/i);
  });
});

if (!present) {
  describe('Prometheus rules in promtool', () => {
    it.skip(`skipped: promtool is absent at ${PROMTOOL} (Debian package prometheus)`, () => {});
  });
}
