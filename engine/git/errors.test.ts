import { describe, expect, it } from 'vitest';
import { GitImportError, classifyGitStderr, classifyNetworkCode } from './errors.ts';
import type { GitImportErrorKind } from './errors.ts';

describe('classifyGitStderr', () => {
  it.each<[string, GitImportErrorKind]>([
    [
      'Host key verification failed.\nfatal: Could not read from remote repository.',
      'host-key-rejected',
    ],
    [
      'No ED25519 host key is known for git.internal and you have requested strict checking.',
      'host-key-rejected',
    ],
    [
      'git@git.internal: Permission denied (publickey).\nfatal: Could not read from remote repository.',
      'auth-failed',
    ],
    [
      'warning: Could not find remote branch dev to clone.\nfatal: Remote branch dev not found in upstream origin',
      'branch-not-found',
    ],
    ['ssh: connect to host 127.0.0.1 port 1: Connection refused', 'unreachable'],
    ['ssh: Could not resolve hostname nowhere: Name or service not known', 'unreachable'],
    ['fatal: something new', 'clone-failed'],
  ])('%j → %s', (stderr, kind) => {
    expect(classifyGitStderr(stderr)).toBe(kind);
  });
});

describe('classifyNetworkCode', () => {
  it('separates unreachable servers from TLS failures', () => {
    expect(classifyNetworkCode('ECONNREFUSED')).toBe('unreachable');
    expect(classifyNetworkCode('ENOTFOUND')).toBe('unreachable');
    expect(classifyNetworkCode('SELF_SIGNED_CERT_IN_CHAIN')).toBe('tls-failed');
    expect(classifyNetworkCode('EACCES')).toBeUndefined();
    expect(classifyNetworkCode(undefined)).toBeUndefined();
  });
});

describe('GitImportError', () => {
  it('carries a remediation line for every kind, overridable per case', () => {
    const kinds: GitImportErrorKind[] = [
      'auth-failed',
      'unreachable',
      'tls-failed',
      'host-key-rejected',
      'branch-not-found',
      'limit-exceeded',
      'invalid-source',
      'clone-failed',
    ];
    for (const kind of kinds)
      expect(new GitImportError(kind, 'x').remediation).toMatch(/\w{4,}.*\./);
    expect(new GitImportError('unreachable', 'x', { remediation: 'Do this.' }).remediation).toBe(
      'Do this.',
    );
  });
});
