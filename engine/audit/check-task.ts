import { createPublicKey, type KeyObject } from 'node:crypto';

/**
 * What a verification worker is given. Keys travel as PEM because KeyObjects cannot cross
 * threads. Workers only hash and verify: rows reach them as messages from the thread that owns
 * the database, so no worker ever loads the native SQLite module.
 */
export interface LineTask {
  kind: 'lines';
  lines: string[];
  signatureLines: string[];
  expectedSeqs: number[];
  keys: Array<[string, string]>;
}

/** Starts a worker that checks `count` rows from `fromSeq`, sent to it page by page. */
export interface RowStreamTask {
  kind: 'rows';
  fromSeq: number;
  count: number;
  keys: Array<[string, string]>;
}

export type WorkerTask = LineTask | RowStreamTask;

export function keysFromPem(keys: Array<[string, string]>): Map<string, KeyObject> {
  return new Map(keys.map(([keyId, pem]) => [keyId, createPublicKey(pem)]));
}
