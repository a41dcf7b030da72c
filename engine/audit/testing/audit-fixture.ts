import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redactor } from '../../secrets/redact.ts';
import { openStore, type Store } from '../../store/database.ts';
import { generateAuditKey, type AuditKeyPair } from '../keys.ts';
import { SignedAuditSink } from '../signed-audit-sink.ts';

/** A fresh data dir with a migrated store and a sink signing with a new key; tests only. */
export interface AuditFixture {
  dir: string;
  store: Store;
  key: AuditKeyPair;
  sink: SignedAuditSink;
  redactor: Redactor;
  /** Appends `count` entries in batches of one transaction each. */
  fill(count: number, batch?: number): void;
  cleanup(): void;
}

export function auditFixture(): AuditFixture {
  const dir = mkdtempSync(join(tmpdir(), 'prodsprint-audit-'));
  const store = openStore(dir);
  const key = generateAuditKey();
  const redactor = new Redactor();
  let tick = Date.parse('2026-01-01T00:00:00.000Z');
  const sink = new SignedAuditSink({
    signer: key,
    redactor,
    clock: () => new Date((tick += 1000)),
  });
  return {
    dir,
    store,
    key,
    sink,
    redactor,
    fill(count, batch = 1000) {
      for (let done = 0; done < count; done += batch) {
        store.db.transaction(() => {
          for (let i = done; i < Math.min(count, done + batch); i++) {
            sink.append(store.db, {
              actor: { user: i % 7 === 0 ? 'alice@example.com' : 'system' },
              action: i % 3 === 0 ? 'run.stage.transition' : 'policy.gate.decided',
              target: `run:run_${Math.floor(i / 10)}`,
              meta: { i, stage: 'build', ok: i % 5 !== 0, note: 'é ✓ "quoted"' },
            });
          }
        })();
      }
    },
    cleanup() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
