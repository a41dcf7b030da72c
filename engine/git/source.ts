/**
 * Where a repository comes from. User input is a URL or a path; this file decides the transport
 * and produces the only form of the URL that may be stored or shown: without userinfo. Userinfo
 * found in an input URL is lifted out as credentials, so it never reaches git argv, a log line or
 * the projects table.
 */
import { isAbsolute, resolve } from 'node:path';
import { GitImportError } from './errors.ts';

export type GitTransport = 'http' | 'ssh' | 'local';

export interface GitSource {
  transport: GitTransport;
  /** What the transport connects to; never contains userinfo for http(s). */
  url: string;
  /** Safe to store and display (projects.repo_url). */
  displayUrl: string;
  /** Userinfo found in an http(s) URL, to be registered with the redactor and used as auth. */
  embedded?: { username: string; password: string };
}

// scp-like syntax git accepts for SSH: user@host:path (no scheme, colon before any slash).
const SCP_LIKE = /^(?:([^@/\s]+)@)?([A-Za-z0-9.-]+):(?!\/\/)(.+)$/;

/** Parses user input into a source; `cwd` resolves relative local paths. */
export function parseGitSource(input: string, cwd: string = process.cwd()): GitSource {
  const text = input.trim();
  // A leading dash would be read by git as an option (CVE-2017-1000117 style injection).
  if (text === '' || text.startsWith('-'))
    throw new GitImportError(
      'invalid-source',
      'the repository location is empty or starts with "-"',
    );

  // git's `<transport>::<address>` syntax runs remote helpers (`ext::` runs a command).
  if (/^[a-z][a-z0-9+.-]*::/i.test(text))
    throw new GitImportError(
      'invalid-source',
      'remote-helper URLs (transport::address) are not allowed',
    );
  if (/^https?:\/\//i.test(text)) return parseHttp(text);
  if (/^ssh:\/\//i.test(text)) {
    const url = new URL(text);
    if (url.password)
      throw new GitImportError(
        'invalid-source',
        'ssh:// URLs must not carry a password; use a key from the secrets store',
      );
    return { transport: 'ssh', url: url.href, displayUrl: url.href };
  }
  if (/^file:\/\//i.test(text)) {
    const path = decodeURIComponent(new URL(text).pathname);
    return local(path);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new GitImportError(
      'invalid-source',
      `unsupported scheme in "${schemeOf(text)}://…"; only http, https, ssh and file are allowed`,
    );
  }
  const scp = SCP_LIKE.exec(text);
  if (scp && !text.startsWith('/') && !text.startsWith('.'))
    return { transport: 'ssh', url: text, displayUrl: text };
  return local(isAbsolute(text) ? text : resolve(cwd, text));
}

function parseHttp(text: string): GitSource {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new GitImportError('invalid-source', 'the repository URL is not a valid URL');
  }
  const embedded =
    url.username || url.password
      ? { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }
      : undefined;
  url.username = '';
  url.password = '';
  url.hash = '';
  const clean = url.href;
  return embedded
    ? { transport: 'http', url: clean, displayUrl: clean, embedded }
    : { transport: 'http', url: clean, displayUrl: clean };
}

function local(path: string): GitSource {
  return { transport: 'local', url: path, displayUrl: path };
}

function schemeOf(text: string): string {
  return text.slice(0, text.indexOf(':'));
}

/** Removes userinfo from any URL-looking string (used on every URL before it is stored). */
export function stripUserinfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1');
}
