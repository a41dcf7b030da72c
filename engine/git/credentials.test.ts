import { describe, expect, it } from 'vitest';
import { Redactor } from '../secrets/redact.ts';
import { authorizationHeader, registerCredentials } from './credentials.ts';
import { buildSshCommand, shellQuote } from './system-git.ts';

describe('credentials', () => {
  it('registers every secret form, including the encoded Authorization header', () => {
    const redactor = new Redactor();
    const credentials = { kind: 'basic' as const, username: 'bob', password: 'pa55-word-x' };
    registerCredentials(redactor, credentials);
    const header = authorizationHeader(credentials);
    expect(header).toBe(`Basic ${Buffer.from('bob:pa55-word-x').toString('base64')}`);
    expect(redactor.redact(`pw=pa55-word-x header=${header.slice(6)}`)).not.toMatch(/pa55|Ym9i/);
  });

  it('sends tokens as basic auth (default user oauth2) or as a bearer token', () => {
    expect(authorizationHeader({ kind: 'token', token: 'tok-123456' })).toBe(
      `Basic ${Buffer.from('oauth2:tok-123456').toString('base64')}`,
    );
    expect(authorizationHeader({ kind: 'token', token: 'tok-123456', scheme: 'bearer' })).toBe(
      'Bearer tok-123456',
    );
  });
});

describe('ssh command', () => {
  it('requires known host keys, never prompts, and offers only the given key', () => {
    const command = buildSshCommand({
      privateKeyPath: "/keys/it's",
      knownHostsPath: '/keys/known_hosts',
      connectTimeoutSeconds: 9.6,
    });
    expect(command).toContain('-o StrictHostKeyChecking=yes');
    expect(command).toContain('-o BatchMode=yes');
    expect(command).toContain('-o ConnectTimeout=10');
    expect(command).toContain("-o UserKnownHostsFile='/keys/known_hosts'");
    expect(command).toContain(`-i ${shellQuote("/keys/it's")}`);
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`);
  });
});
