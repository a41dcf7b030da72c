/**
 * Credentials an import may use. They come from the secrets layer at call time and live only in
 * memory: the importer registers every secret value with the redactor and never writes one into
 * a URL, argv, an environment variable or a file.
 */
import type { Redactor } from '../secrets/redact.ts';

export type GitCredentials =
  /** A personal/project access token. Sent as basic auth (`username`, default `oauth2`) or bearer. */
  | { kind: 'token'; token: string; username?: string; scheme?: 'basic' | 'bearer' }
  | { kind: 'basic'; username: string; password: string }
  /** SSH: a private key file (from the local encrypted store, materialised by the caller). */
  | { kind: 'ssh-key'; privateKeyPath: string };

/** Registers every secret value, in all the forms the redactor knows, before any use. */
export function registerCredentials(
  redactor: Redactor,
  credentials: GitCredentials | undefined,
): void {
  if (!credentials) return;
  const secrets: string[] = [];
  if (credentials.kind === 'token') secrets.push(credentials.token);
  if (credentials.kind === 'basic') secrets.push(credentials.password);
  if (credentials.kind !== 'ssh-key') {
    const header = authorizationHeader(credentials);
    secrets.push(header.slice(header.indexOf(' ') + 1));
  }
  for (const secret of secrets) if (secret.length >= 4) redactor.register(secret);
}

/** The Authorization header value for HTTP transports. */
export function authorizationHeader(
  credentials: Exclude<GitCredentials, { kind: 'ssh-key' }>,
): string {
  if (credentials.kind === 'token' && credentials.scheme === 'bearer')
    return `Bearer ${credentials.token}`;
  const [user, password] =
    credentials.kind === 'token'
      ? [credentials.username ?? 'oauth2', credentials.token]
      : [credentials.username, credentials.password];
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}
