/**
 * Settings of this installation (migration 0008), one row per key: the registry mirror and the
 * package mirrors of issue 14 today. The store knows no key: each caller passes the key's schema,
 * so a value is validated on the way in and on the way out (json-column.ts) and a row edited
 * outside the app fails loudly, naming the key. Callers write a setting in the same transaction
 * as its audit entry (invariant 2).
 */
import type { z } from 'zod';
import type { Db } from '../database.ts';
import { nowIso } from '../ids.ts';
import { fromJsonColumn, toJsonColumn } from '../json-column.ts';

export interface StoredSetting<T> {
  key: string;
  value: T;
  updatedAt: string;
  /** The user id that wrote it. */
  updatedBy: string;
}

interface SettingRow {
  key: string;
  value: string;
  updated_at: string;
  updated_by: string;
}

/** The setting stored under `key`, validated by `schema`; undefined when it is not set. */
export function readSetting<T extends z.ZodType>(
  db: Db,
  key: string,
  schema: T,
): StoredSetting<z.output<T>> | undefined {
  const row = db.prepare('SELECT * FROM settings WHERE key = ?').get(key) as SettingRow | undefined;
  if (!row) return undefined;
  return {
    key: row.key,
    value: fromJsonColumn(schema, row.value, `settings.value of ${key}`),
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

/** Inserts or replaces the setting; returns it as stored. */
export function writeSetting<T extends z.ZodType>(
  db: Db,
  key: string,
  schema: T,
  value: z.input<T>,
  updatedBy: string,
): StoredSetting<z.output<T>> {
  const text = toJsonColumn(schema, value, `settings.value of ${key}`);
  const updatedAt = nowIso();
  db.prepare(
    `INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,
       updated_by = excluded.updated_by`,
  ).run(key, text, updatedAt, updatedBy);
  return { key, value: JSON.parse(text) as z.output<T>, updatedAt, updatedBy };
}

/** Removes the setting; false when it was not set. */
export function deleteSetting(db: Db, key: string): boolean {
  return db.prepare('DELETE FROM settings WHERE key = ?').run(key).changes > 0;
}
