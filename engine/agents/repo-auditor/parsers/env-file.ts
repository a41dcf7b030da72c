/**
 * `.env.example`-style files: `KEY=value`, optionally `export KEY=value`, `#` comments. Values
 * are kept only to tell an empty placeholder from a filled-in value (committed-secret check);
 * they never go into the fingerprint.
 */

export interface EnvEntry {
  name: string;
  line: number;
  hasValue: boolean;
  value: string;
}

export function parseEnvFile(text: string): EnvEntry[] {
  const out: EnvEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index += 1) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(
      lines[index] ?? '',
    );
    if (!match) continue;
    const value = (match[2] ?? '')
      .replace(/\s+#.*$/, '')
      .trim()
      .replace(/^(['"])(.*)\1$/, '$2');
    out.push({ name: match[1] ?? '', line: index + 1, hasValue: value !== '', value });
  }
  return out;
}

/** Env files that are templates (documentation) rather than configuration. */
export function isEnvTemplate(name: string): boolean {
  return /^\.env\.(example|sample|template|dist|defaults)$|^env\.example$|\.env\.example$/i.test(
    name,
  );
}

export function isEnvFile(name: string): boolean {
  return name === '.env' || /^\.env\.[\w.-]+$/.test(name);
}
