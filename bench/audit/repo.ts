/**
 * Repo-audit bench (issue 5): generates a 100,000-file monorepo (20 Express services under
 * npm workspaces + Turborepo) and times auditRepository on it. The audit runs in a child
 * process so its peak RSS is the audit's own, not the generator's. Target here: <= 3 s.
 *
 *   node bench/audit/repo.ts [--files N] [--services N]
 *
 * Prints readable lines, then, last, one JSON line:
 *   {"bench":"repo-audit","files":…,"seconds":…,"peakRssMb":…}
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { auditRepository } from '../../engine/agents/repo-auditor/audit.ts';
import { writeLargeMonorepo } from '../../test/fixtures/repos/large-trees.ts';

interface ChildFigures {
  seconds: number;
  peakRssMb: number;
  files: number;
  services: number;
  filesRead: number;
  gaps: number;
}

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? Number(process.argv[index + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

async function auditChild(dir: string): Promise<void> {
  const started = performance.now();
  const fingerprint = await auditRepository(dir);
  const seconds = (performance.now() - started) / 1000;
  const figures: ChildFigures = {
    seconds,
    // maxRSS is in KiB on Linux.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    files: fingerprint.stats.files,
    services: fingerprint.services.length,
    filesRead: fingerprint.stats.filesRead,
    gaps: fingerprint.gaps.length,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

async function main(): Promise<void> {
  const childDir = process.argv[process.argv.indexOf('--audit-child') + 1];
  if (process.argv.includes('--audit-child') && childDir) {
    await auditChild(childDir);
    return;
  }
  const files = option('--files', 100_000);
  const services = option('--services', 20);
  const root = mkdtempSync(join(tmpdir(), 'ps-bench-repo-'));
  try {
    const generating = performance.now();
    writeLargeMonorepo(root, { files, services });
    console.log(
      `generated ${files} files in ${services} services in ${((performance.now() - generating) / 1000).toFixed(1)} s (${root})`,
    );
    const output = execFileSync(
      process.execPath,
      [fileURLToPath(import.meta.url), '--audit-child', root],
      { encoding: 'utf8' },
    );
    const figures = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as ChildFigures;
    console.log(
      `audit: ${figures.seconds.toFixed(2)} s wall, peak RSS ${figures.peakRssMb.toFixed(0)} MB`,
    );
    console.log(
      `found ${figures.services} services, read ${figures.filesRead} of ${figures.files} files, ${figures.gaps} gaps`,
    );
    console.log(`target <= 3 s: ${figures.seconds <= 3 ? 'met' : 'missed'}`);
    console.log(
      JSON.stringify({
        bench: 'repo-audit',
        files: figures.files,
        seconds: Number(figures.seconds.toFixed(3)),
        peakRssMb: Number(figures.peakRssMb.toFixed(1)),
      }),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
