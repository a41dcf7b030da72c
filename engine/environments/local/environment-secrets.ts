/**
 * Secrets ProdSprint generates for a local environment's services (issue 14): a session secret or
 * JWT key the code requires and the repository only has a sample of. Generated once per
 * environment and kept in the environment's dir (0600, beside its state, deleted when the
 * environment is stopped) so a redeploy or a rollback runs with the same value: sessions and
 * tokens survive a release. Never in SQLite, logs or events; every value read is registered
 * with the redactor. Real secrets come from Vault or the local encrypted store (issue 23).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redactor } from '../../secrets/redact.ts';

export interface SecretSource {
  /** The value for `name`, generated on first use. */
  get(name: string): string;
}

const FILE = 'app-secrets.json';

function generate(): string {
  return randomBytes(24).toString('base64url');
}

/** Secrets kept in `dir` (the environment's dir, engine/environments/local/state.ts). */
export function environmentSecrets(dir: string, redactor: Redactor): SecretSource {
  const path = join(dir, FILE);
  const read = (): Record<string, string> =>
    existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>) : {};
  return {
    get(name) {
      const kept = read();
      let value = kept[name];
      if (value === undefined) {
        value = generate();
        mkdirSync(dir, { recursive: true });
        const next = join(dir, `${FILE}.tmp-${process.pid}`);
        writeFileSync(next, JSON.stringify({ ...kept, [name]: value }, null, 2), { mode: 0o600 });
        chmodSync(next, 0o600);
        renameSync(next, path);
      }
      redactor.register(value);
      return value;
    },
  };
}

/** Secrets for a throwaway container (the perf run): new each time, never written anywhere. */
export function ephemeralSecrets(redactor: Redactor): SecretSource {
  const values = new Map<string, string>();
  return {
    get(name) {
      let value = values.get(name);
      if (value === undefined) values.set(name, (value = generate()));
      redactor.register(value);
      return value;
    },
  };
}
