import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { AuditRow, EntryProblem, RunResult } from './entry-check.ts';
import type { LineTask, RowStreamTask } from './check-task.ts';
import { checkLineRange } from './line-range.ts';

/** Below this many entries a worker costs more to start than it saves. */
export const PARALLEL_THRESHOLD = 20_000;

/** How many threads to check with: one per core, since Ed25519 verification is the bottleneck. */
export function defaultParallelism(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

const WORKER_URL = new URL('./check-worker.ts', import.meta.url);

/** Runs line tasks (in worker threads when asked), keeping their order. */
export async function runLineTasks(tasks: LineTask[], useWorkers: boolean): Promise<RunResult[]> {
  if (!useWorkers || tasks.length < 2) return tasks.map(checkLineRange);
  return Promise.all(
    tasks.map((task) => {
      const worker = new Worker(WORKER_URL, { workerData: task });
      return new Promise<RunResult>((resolve, reject) => {
        worker.on('message', (message: { result?: RunResult }) => {
          if (message.result) resolve(fromWorker(message.result));
        });
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`verification worker exited (${code})`)));
      });
    }),
  );
}

/** Reads rows seq `from`..`to`, at most `limit` of them, in seq order. */
export type PageReader = (from: number, to: number, limit: number) => AuditRow[];

/**
 * Checks seq ranges in worker threads, one per range. This thread reads the rows (the
 * connection, and any open transaction, stay here) and streams them page by page, keeping
 * at most two pages in flight per worker so memory stays flat for any log size.
 */
export async function streamRowRanges(
  ranges: Array<[number, number]>,
  keys: Array<[string, string]>,
  readPage: PageReader,
  pageSize: number,
): Promise<RunResult[]> {
  return Promise.all(
    ranges.map(async ([from, to]) => {
      const worker = new RowWorker({ kind: 'rows', fromSeq: from, count: to - from + 1, keys });
      let next = from;
      while (next <= to && worker.wantsMore) {
        const rows = readPage(next, to, pageSize);
        if (rows.length === 0) break;
        await worker.send(rows);
        if (rows.length < pageSize) break;
        next = rows[rows.length - 1]!.seq + 1;
      }
      return worker.finish();
    }),
  );
}

class RowWorker {
  private readonly worker: Worker;
  private readonly result: Promise<RunResult>;
  private inFlight = 0;
  private waiting: Array<() => void> = [];
  private more = true;

  constructor(task: RowStreamTask) {
    this.worker = new Worker(WORKER_URL, { workerData: task });
    this.result = new Promise((resolve, reject) => {
      const failed = (error: Error) => {
        this.more = false;
        this.release();
        reject(error);
      };
      this.worker.on('message', (message: { ack?: true; more?: boolean; result?: RunResult }) => {
        if (message.ack) {
          this.inFlight--;
          this.more = this.more && message.more !== false;
          this.waiting.shift()?.();
        } else if (message.result) {
          resolve(fromWorker(message.result));
        }
      });
      this.worker.once('error', failed);
      this.worker.once('exit', (code) => failed(new Error(`verification worker exited (${code})`)));
    });
    // Rejections surface through finish(); do not let an early one go unhandled meanwhile.
    this.result.catch(() => undefined);
  }

  get wantsMore(): boolean {
    return this.more;
  }

  async send(rows: AuditRow[]): Promise<void> {
    if (this.inFlight >= 2) await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (!this.more) return;
    this.inFlight++;
    this.worker.postMessage({ rows });
  }

  finish(): Promise<RunResult> {
    this.worker.postMessage({ end: true });
    return this.result;
  }

  private release(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}

/** A result that crossed a thread arrives with a plain Uint8Array; make it a Buffer again. */
function fromWorker(result: RunResult): RunResult {
  const leaves = result.leafHashes as Uint8Array;
  return {
    ...result,
    leafHashes: Buffer.from(leaves.buffer, leaves.byteOffset, leaves.byteLength),
  };
}

/** Chunk boundaries for `count` items split across `parts`, as [start, end) pairs. */
export function splitRange(count: number, parts: number): Array<[number, number]> {
  const n = Math.max(1, Math.min(parts, count));
  const size = Math.ceil(count / n);
  const ranges: Array<[number, number]> = [];
  for (let start = 0; start < count; start += size)
    ranges.push([start, Math.min(count, start + size)]);
  return ranges;
}

export interface MergedRuns {
  leafHashes: Buffer;
  count: number;
  /** The first problem in chain order, with `index` counted across all runs. */
  problem?: EntryProblem;
}

/** Joins consecutive runs, checking the prev_hash link across each boundary. */
export function mergeRuns(runs: RunResult[]): MergedRuns {
  let offset = 0;
  const leaves: Buffer[] = [];
  let previous: RunResult | undefined;
  for (const run of runs) {
    if (
      previous &&
      run.firstSeq !== null &&
      previous.lastSeq !== null &&
      run.firstSeq === previous.lastSeq + 1 &&
      run.firstPrevHash !== previous.lastEntryHash
    ) {
      return {
        leafHashes: Buffer.concat(leaves),
        count: offset,
        problem: {
          seq: run.firstSeq,
          index: offset,
          reason: `prev_hash ${run.firstPrevHash} is not the hash of entry seq ${previous.lastSeq} (${previous.lastEntryHash})`,
          part: 'entry',
        },
      };
    }
    leaves.push(run.leafHashes);
    if (run.problem) {
      return {
        leafHashes: Buffer.concat(leaves),
        count: offset + run.count,
        problem: { ...run.problem, index: offset + run.problem.index },
      };
    }
    offset += run.count;
    previous = run;
  }
  return { leafHashes: Buffer.concat(leaves), count: offset };
}
