/**
 * `npm run bench -- audit`: both benches issues 4 and 5 name bench/audit, run one after the
 * other in their own processes (each measures its own peak memory):
 *   chain.ts  signed appends per second, live verification of 1,000,000 entries, export of 100,000
 *   repo.ts   auditing a generated 100,000-file monorepo: wall time and peak memory
 * Their lines are passed through; the last line is one JSON object holding both results.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

function run(script: string): Record<string, unknown> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const child = spawnSync(process.execPath, ['--expose-gc', path], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  process.stdout.write(child.stdout);
  if (child.status !== 0) throw new Error(`${script} exited ${child.status}`);
  const last = child.stdout.trimEnd().split('\n').at(-1) ?? '';
  return JSON.parse(last) as Record<string, unknown>;
}

const chain = run('./chain.ts');
const repo = run('./repo.ts');
console.log(JSON.stringify({ bench: 'audit', chain, repo }));
