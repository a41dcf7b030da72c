import { parentPort, workerData } from 'node:worker_threads';
import type { AuditRow } from './entry-check.ts';
import { keysFromPem, type WorkerTask } from './check-task.ts';
import { checkLineRange } from './line-range.ts';
import { RowRangeChecker } from './row-range.ts';

// A verification worker. Lines: one task in, one result out. Rows: pages arrive as messages
// and each is acknowledged (so the sender keeps only a couple in flight), then `end` asks for
// the result.
const task = workerData as WorkerTask;
const port = parentPort!;
if (task.kind === 'lines') {
  port.postMessage({ result: checkLineRange(task) });
  port.close();
} else {
  const checker = new RowRangeChecker(keysFromPem(task.keys), task.fromSeq, task.count);
  let more = true;
  port.on('message', (message: { rows?: AuditRow[]; end?: true }) => {
    if (message.rows) {
      more = more && checker.addRows(message.rows);
      port.postMessage({ ack: true, more });
    } else {
      port.postMessage({ result: checker.finish() });
      port.close();
    }
  });
}
