import type { z } from 'zod';

/**
 * JSON columns are validated on the way in and on the way out, so a bad write fails at the
 * writer and a row edited outside the app fails loudly at the reader, naming the column.
 */
export function toJsonColumn<T extends z.ZodType>(
  schema: T,
  value: z.input<T>,
  column: string,
): string {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new Error(
      `refusing to write ${column}: ${parsed.error.issues.map(formatIssue).join('; ')}`,
    );
  return JSON.stringify(parsed.data);
}

export function fromJsonColumn<T extends z.ZodType>(
  schema: T,
  text: string,
  column: string,
): z.output<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`${column} holds text that is not JSON`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new Error(
      `${column} holds invalid data: ${parsed.error.issues.map(formatIssue).join('; ')}`,
    );
  return parsed.data;
}

function formatIssue(issue: z.core.$ZodIssue): string {
  return issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}
