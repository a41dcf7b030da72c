import { candidateFromLine, RunChecker, type RunResult } from './entry-check.ts';
import { keysFromPem, type LineTask } from './check-task.ts';

/** Checks consecutive entries.jsonl lines (with their signatures.jsonl lines) against the seqs the manifest lists. */
export function checkLineRange(task: LineTask): RunResult {
  const checker = new RunChecker(keysFromPem(task.keys), task.expectedSeqs.length);
  for (let i = 0; i < task.expectedSeqs.length; i++) {
    const line = task.lines[i];
    const candidate =
      line === undefined
        ? { problem: `entry seq ${task.expectedSeqs[i]} is missing (entries.jsonl ends early)` }
        : candidateFromLine(line, task.signatureLines[i]);
    if (!checker.add(task.expectedSeqs[i]!, candidate)) break;
  }
  return checker.result();
}
