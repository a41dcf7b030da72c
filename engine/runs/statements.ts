import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/database.ts';

const caches = new WeakMap<Db, Map<string, Statement>>();

/**
 * Prepared statements, cached per connection for the connection's lifetime: the run engine's
 * hot path would otherwise prepare the same few statements on every transition.
 */
export function sql(db: Db, text: string): Statement {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let statement = cache.get(text);
  if (!statement) cache.set(text, (statement = db.prepare(text)));
  return statement;
}
