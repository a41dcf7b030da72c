/**
 * Procfile (Heroku, Dokku, foreman, honcho): one `<process type>: <command>` per line. Every
 * process type is a process of the app; `web` is the only one that receives HTTP traffic and
 * `release` runs once per deploy before the new release starts. Comments (`#`) and lines that
 * are not `type: command` are skipped.
 * https://devcenter.heroku.com/articles/procfile
 */

export interface ProcfileEntry {
  /** Process type as written (`web`, `worker`, `release`, `clock`, …). */
  type: string;
  command: string;
  /** 1-based line. */
  line: number;
}

/** Heroku's process type names: alphanumerics, `-` and `_`. */
const ENTRY = /^([A-Za-z0-9_-]+)[ \t]*:[ \t]*(\S.*)$/;

export function parseProcfile(text: string): ProcfileEntry[] {
  const out: ProcfileEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = ENTRY.exec(line);
    if (match?.[1] && match[2])
      out.push({ type: match[1], command: match[2].trim(), line: index + 1 });
  });
  return out;
}
