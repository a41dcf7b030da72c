/**
 * The redactor (ARCHITECTURE.md invariant 6): everything that leaves the engine as text (logs,
 * events, audit meta, errors, tool output) passes through one of these first.
 *
 * Two kinds of secret are masked:
 *  - values registered at run time (a token read from Vault, a password typed by the user), in
 *    the encodings they typically reappear in (as is, URL-encoded, base64);
 *  - well-known credential shapes, so a secret nobody registered is still caught.
 *
 * Pure string logic with no Node APIs: the renderer can use it too.
 */

export const MASK = '[REDACTED]';

interface SecretShape {
  name: string;
  pattern: RegExp;
  /** Which capture group is the secret; the rest of the match is kept for context. */
  group?: number;
}

/**
 * Credential shapes. Where a shape has a recognisable label (`Bearer`, `password=`), only the
 * value is masked, so a log line still says what kind of thing was there.
 */
export const SECRET_SHAPES: readonly SecretShape[] = [
  {
    name: 'private-key',
    pattern:
      /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|$)/g,
  },
  {
    name: 'aws-access-key-id',
    pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g,
  },
  {
    name: 'aws-secret-access-key',
    pattern:
      /(aws_secret_access_key|aws_session_token|secretAccessKey)(["']?\s*[:=]\s*["']?)([A-Za-z0-9/+=]{20,})/gi,
    group: 3,
  },
  { name: 'github-token', pattern: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,255}\b/g },
  { name: 'github-fine-grained-token', pattern: /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g },
  {
    name: 'gitlab-token',
    pattern: /\b(?:glpat|gldt|glrt|glptt|glft|glsoat|glcbt)-[A-Za-z0-9_-]{20,}\b/g,
  },
  { name: 'slack-token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g },
  { name: 'vault-token', pattern: /\bhv[sbr]\.[A-Za-z0-9_-]{20,}\b/g },
  { name: 'npm-token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { name: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g },
  {
    name: 'authorization-header',
    pattern: /\b(Bearer|Basic|Token)(\s+)([A-Za-z0-9._~+/=-]{8,})/g,
    group: 3,
  },
  {
    name: 'url-password',
    pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)(@)/gi,
    group: 2,
  },
  {
    name: 'password-assignment',
    pattern:
      /\b((?:[A-Za-z0-9_]*_)?(?:password|passwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret)["']?\s*[:=]\s*["']?)([^\s"',;&]{4,})/gi,
    group: 2,
  },
];

export class Redactor {
  private readonly registered = new Set<string>();
  private registeredPattern: RegExp | null = null;

  /**
   * Registers a secret value so it is masked wherever it appears. Values shorter than four
   * characters are refused: masking them would shred ordinary text and hide nothing.
   */
  register(secret: string): void {
    if (secret.length < 4)
      throw new Error('refusing to register a secret shorter than 4 characters');
    for (const form of encodingsOf(secret)) this.registered.add(form);
    // Longest first, so a secret that contains another is masked whole.
    const alternatives = [...this.registered].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.registeredPattern = new RegExp(alternatives.join('|'), 'g');
  }

  /** Masks every registered secret and every known credential shape in `text`. */
  redact(text: string): string {
    let out = this.registeredPattern ? text.replace(this.registeredPattern, MASK) : text;
    for (const shape of SECRET_SHAPES) {
      out = out.replace(shape.pattern, (...match: unknown[]) => {
        if (shape.group === undefined) return MASK;
        const groups = match.slice(1, -2) as Array<string | undefined>;
        return groups
          .map((part, index) => (index + 1 === shape.group ? MASK : (part ?? '')))
          .join('');
      });
    }
    return out;
  }

  /** Redacts every string inside a JSON-like value (keys included), returning a copy. */
  redactValue<T>(value: T): T {
    return redactDeep(value, this, new WeakSet()) as T;
  }
}

function redactDeep(value: unknown, redactor: Redactor, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactor.redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redactor, seen));
  if (value instanceof Error) {
    return { name: value.name, message: redactor.redact(value.message) };
  }
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value))
    copy[redactor.redact(key)] = redactDeep(item, redactor, seen);
  return copy;
}

/** The forms a secret commonly takes when it leaks: raw, URL-encoded, base64 (std and url). */
function encodingsOf(secret: string): string[] {
  const bytes = new TextEncoder().encode(secret);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  const base64 = btoa(binary);
  const forms = [
    secret,
    encodeURIComponent(secret),
    base64,
    base64.replace(/=+$/, ''),
    base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
  ];
  return [...new Set(forms)].filter((form) => form.length >= 4);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
