/**
 * Typed import failures. Each kind says what went wrong and carries one remediation line, so the
 * CLI and UI can show "what to do" without parsing messages. Messages are redacted before they
 * are built (see import-repository.ts): nothing here may carry a credential.
 */

export type GitImportErrorKind =
  | 'auth-failed'
  | 'unreachable'
  | 'tls-failed'
  | 'host-key-rejected'
  | 'branch-not-found'
  | 'limit-exceeded'
  | 'invalid-source'
  | 'clone-failed';

const REMEDIATIONS: Record<GitImportErrorKind, string> = {
  'auth-failed':
    'Check the username and token/password in the secrets store, and that the account can read this repository.',
  unreachable:
    'Check the URL, that the Git server is running and reachable from this machine (proxy, firewall, VPN).',
  'tls-failed':
    "Pass the internal CA bundle that signed the server's certificate (caBundlePath), or fix the server certificate.",
  'host-key-rejected':
    "Add the server's SSH host key to the known_hosts file given to the importer (verify its fingerprint first).",
  'branch-not-found': 'Pick an existing branch (the default branch is used when none is given).',
  'limit-exceeded':
    'Remove the large or generated files from the repository, or raise the import limit if the size is expected.',
  'invalid-source':
    'Give an http(s):// or ssh:// URL, user@host:path, or the path of a local Git repository.',
  'clone-failed': 'Retry; if it keeps failing, check the server logs for this repository.',
};

export class GitImportError extends Error {
  readonly kind: GitImportErrorKind;
  readonly remediation: string;

  constructor(kind: GitImportErrorKind, message: string, options?: { remediation?: string }) {
    super(message);
    this.name = 'GitImportError';
    this.kind = kind;
    this.remediation = options?.remediation ?? REMEDIATIONS[kind];
  }
}

export function isGitImportError(error: unknown): error is GitImportError {
  return error instanceof GitImportError;
}

/** Node network error codes that mean "could not talk to the server at all". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
]);

const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
  'EPROTO',
]);

/** Classifies a Node network error by its `code`, or returns undefined when it is not one. */
export function classifyNetworkCode(code: unknown): GitImportErrorKind | undefined {
  if (typeof code !== 'string') return undefined;
  if (UNREACHABLE_CODES.has(code)) return 'unreachable';
  if (TLS_CODES.has(code)) return 'tls-failed';
  return undefined;
}

/**
 * Classifies the stderr of a failed system `git` (SSH and local transports). Patterns are the
 * messages of git 2.39 and OpenSSH; anything unknown is a generic clone failure.
 */
export function classifyGitStderr(stderr: string): GitImportErrorKind {
  if (
    /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No \S+ host key is known/i.test(
      stderr,
    )
  ) {
    return 'host-key-rejected';
  }
  if (/Permission denied|Authentication failed|could not read Username|publickey/i.test(stderr))
    return 'auth-failed';
  if (/Remote branch .* not found|couldn't find remote ref|not our ref/i.test(stderr))
    return 'branch-not-found';
  if (
    /Connection refused|Could not resolve hostname|Connection timed out|No route to host|Network is unreachable|Connection closed by|Could not read from remote repository|does not appear to be a git repository|not a git repository/i.test(
      stderr,
    )
  ) {
    return 'unreachable';
  }
  return 'clone-failed';
}
