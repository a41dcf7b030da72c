/**
 * A second process reading the engine's tables the way `prodsprint runs list|show` would,
 * as fast as it can, while the load test writes. Prints {reads, errors} on SIGTERM.
 * argv: <dataDir>
 */
import { openStore } from '../../store/database.ts';
import { listRunInfos } from '../run-info.ts';
import { readEvents } from '../run-records.ts';

const store = openStore(process.argv[2]!, { busyTimeoutMs: 5000 });
let reads = 0;
const errors: string[] = [];
let stopping = false;
process.on('SIGTERM', () => (stopping = true));

function readOnce(): void {
  try {
    const runs = listRunInfos(store.db, { limit: 20 });
    for (const run of runs.slice(0, 5)) readEvents(store.db, run.runId);
    reads++;
  } catch (error) {
    errors.push(String((error as { code?: string }).code ?? error));
  }
  if (stopping) {
    store.close();
    process.stdout.write(`${JSON.stringify({ reads, errors })}\n`);
    return;
  }
  setTimeout(readOnce, 1);
}

process.stdout.write('ready\n');
readOnce();
