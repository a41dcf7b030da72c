/**
 * Audit-chain bench (issue 4): signed appends per second, live verification of a
 * 1,000,000-entry chain, export (and offline verification) of a 100,000-entry bundle.
 * Targets here: >= 5,000 appends/s, verify 1M <= 60 s.
 *
 *   node bench/audit/chain.ts [--appends N] [--export N] [--verify N]
 *
 * Prints readable lines, then, last, one JSON line:
 *   {"bench":"audit-chain","appendsPerSec":…,"verify1MSeconds":…,"export100kSeconds":…}
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportAuditBundle } from '../../engine/audit/bundle-export.ts';
import { verifyAuditBundle } from '../../engine/audit/bundle-verify.ts';
import { generateAuditKey } from '../../engine/audit/keys.ts';
import { verifyLiveChain } from '../../engine/audit/live-verify.ts';
import { SignedAuditSink } from '../../engine/audit/signed-audit-sink.ts';
import { Redactor } from '../../engine/secrets/redact.ts';
import { openStore, type Db } from '../../engine/store/database.ts';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? Number(process.argv[index + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const appends = option('--appends', 20_000);
const exportSize = option('--export', 100_000);
const verifySize = Math.max(option('--verify', 1_000_000), exportSize);

// Collect the store's transient better-sqlite3 statements from JS, not in a context-less GC
// (see engine/audit/statements.ts for why that matters on Node 24).

const seconds = (start: number) => (performance.now() - start) / 1000;
/** CPU seconds of this process, worker threads included (getrusage RUSAGE_SELF). */
const cpuSeconds = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
};
const cores = availableParallelism();
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

const dir = mkdtempSync(join(tmpdir(), 'prodsprint-bench-audit-'));
const store = openStore(dir);
const key = generateAuditKey();
const sink = new SignedAuditSink({ signer: key, redactor: new Redactor() });
let n = 0;
const event = () => {
  n++;
  return {
    actor: { user: n % 7 === 0 ? 'alice@example.com' : 'system' },
    action: 'run.stage.transition',
    target: `run:run_${Math.floor(n / 20)}`,
    meta: {
      stage: 'canary',
      from: 'running',
      to: n % 11 === 0 ? 'error' : 'done',
      percent: n % 100,
      attempt: 1,
    },
  };
};

function appendBatched(db: Db, count: number, batch = 5_000): void {
  for (let done = 0; done < count; done += batch) {
    db.transaction(() => {
      for (let i = 0; i < Math.min(batch, count - done); i++) sink.append(db, event());
    })();
  }
}

// Other work on the machine stretches wall time; CPU time does not, so both are reported.
console.log(
  `audit-chain bench: ${cores} cores, load average ${loadavg()[0]!.toFixed(1)}, data dir ${dir}`,
);

// 1. Signed appends, one transaction each: how a state change and its entry commit together.
let start = performance.now();
let cpu = process.cpuUsage();
for (let i = 0; i < appends; i++) sink.append(store.db, event());
const appendsPerSec = Math.round(appends / seconds(start));
const appendsPerCpuSec = Math.round(appends / cpuSeconds(cpu));
console.log(
  `appends (one transaction each): ${appends} in ${round(seconds(start))} s = ${appendsPerSec}/s ` +
    `(${appendsPerCpuSec} per CPU second)`,
);

start = performance.now();
appendBatched(store.db, 20_000);
const batchedPerSec = Math.round(20_000 / seconds(start));
console.log(`appends (5,000 per transaction): ${batchedPerSec}/s`);

// 2. Export of a 100,000-entry log, and its offline verification.
appendBatched(store.db, exportSize - n);
const bundle = join(dir, 'bundle.tar.gz');
start = performance.now();
const exported = exportAuditBundle({ db: store.db, signer: key, outFile: bundle });
const export100kSeconds = round(seconds(start));
console.log(
  `export: ${exported.entries} entries, ${(statSync(bundle).size / 2 ** 20).toFixed(1)} MiB in ${export100kSeconds} s`,
);
start = performance.now();
cpu = process.cpuUsage();
const bundleCheck = await verifyAuditBundle(bundle);
const bundleVerifySeconds = round(seconds(start));
const bundleVerifyCpuSeconds = round(cpuSeconds(cpu));
console.log(
  `bundle verify: ${bundleCheck.ok ? 'OK' : bundleCheck.message} in ${bundleVerifySeconds} s (${bundleVerifyCpuSeconds} CPU s)`,
);

// 3. Live verification of the whole chain, grown to 1,000,000 entries.
start = performance.now();
appendBatched(store.db, verifySize - n);
console.log(`grew the chain to ${n} entries in ${round(seconds(start))} s`);
start = performance.now();
cpu = process.cpuUsage();
const live = await verifyLiveChain(store.db);
const verifySeconds = round(seconds(start));
const verifyCpuSeconds = round(cpuSeconds(cpu));
console.log(
  `live verify: ${live.ok ? `OK, ${live.entries} entries` : live.message} in ${verifySeconds} s`,
);
console.log(
  `  ${verifyCpuSeconds} CPU s = ${round((verifyCpuSeconds * 1e6) / live.entries, 1)} µs/entry ` +
    `(one Ed25519 verification is ~100 µs here: openssl speed ed25519); ` +
    `${cores} idle cores would take ≈ ${round(verifyCpuSeconds / cores, 1)} s; load average ${loadavg()[0]!.toFixed(1)}`,
);

store.close();
rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    bench: 'audit-chain',
    appendsPerSec,
    appendsPerCpuSec,
    batchedAppendsPerSec: batchedPerSec,
    verify1MSeconds: verifySize === 1_000_000 ? verifySeconds : null,
    verifyEntries: live.entries,
    verifySeconds,
    verifyCpuSeconds,
    export100kSeconds: exportSize === 100_000 ? export100kSeconds : null,
    exportEntries: exported.entries,
    bundleVerifySeconds,
    bundleVerifyCpuSeconds,
    cores,
    loadAverage: round(loadavg()[0]!, 1),
    ok: live.ok && bundleCheck.ok,
  }),
);
