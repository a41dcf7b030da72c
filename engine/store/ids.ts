import { randomUUID } from 'node:crypto';

/** Prefixed random ids (`prj_…`, `run_…`), so an id says what it names in logs and URLs. */
export function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll('-', '')}`;
}

export function nowIso(): string {
  return new Date().toISOString();
}
