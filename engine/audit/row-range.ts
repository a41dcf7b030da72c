import type { KeyObject } from 'node:crypto';
import { candidateFromRow, RunChecker, type AuditRow, type RunResult } from './entry-check.ts';

/** Checks audit_log rows fromSeq..fromSeq+count-1, fed in pages; a gap is a missing entry. */
export class RowRangeChecker {
  private readonly checker: RunChecker;
  private readonly last: number;
  private expected: number;

  constructor(keys: Map<string, KeyObject>, fromSeq: number, count: number) {
    this.checker = new RunChecker(keys, count);
    this.expected = fromSeq;
    this.last = fromSeq + count - 1;
  }

  /** Returns false once a problem was found: further pages would not change the verdict. */
  addRows(rows: AuditRow[]): boolean {
    for (const row of rows) {
      if (!this.checker.add(this.expected, candidateFromRow(row))) return false;
      this.expected++;
    }
    return true;
  }

  finish(): RunResult {
    if (!this.checker.problem && this.expected <= this.last) {
      this.checker.add(this.expected, { problem: `entry seq ${this.expected} is missing` });
    }
    return this.checker.result();
  }
}
