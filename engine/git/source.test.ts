import { describe, expect, it } from 'vitest';
import { GitImportError } from './errors.ts';
import { parseGitSource, stripUserinfo } from './source.ts';

describe('parseGitSource', () => {
  it('lifts userinfo out of http(s) URLs so it is never stored or passed on', () => {
    const source = parseGitSource('https://alice:s%40cret@git.internal:8443/team/app.git#frag');
    expect(source).toEqual({
      transport: 'http',
      url: 'https://git.internal:8443/team/app.git',
      displayUrl: 'https://git.internal:8443/team/app.git',
      embedded: { username: 'alice', password: 's@cret' },
    });
  });

  it('recognises ssh:// and scp-like SSH locations', () => {
    expect(parseGitSource('ssh://git@git.internal:2222/team/app.git').transport).toBe('ssh');
    expect(parseGitSource('git@git.internal:team/app.git')).toMatchObject({
      transport: 'ssh',
      url: 'git@git.internal:team/app.git',
    });
  });

  it('resolves local paths and file:// URLs', () => {
    expect(parseGitSource('./repo', '/srv')).toMatchObject({
      transport: 'local',
      url: '/srv/repo',
    });
    expect(parseGitSource('file:///srv/my%20repo')).toMatchObject({
      transport: 'local',
      url: '/srv/my repo',
    });
  });

  it.each([
    ['', 'empty'],
    ['--upload-pack=touch /tmp/x', 'option injection'],
    ['ext::sh -c id', 'remote helper'],
    ['fd::3', 'remote helper'],
    ['ftp://host/repo', 'other scheme'],
    ['ssh://user:pw@host/repo', 'ssh password'],
  ])('refuses %j (%s)', (input) => {
    expect(() => parseGitSource(input)).toThrow(GitImportError);
  });
});

describe('stripUserinfo', () => {
  it('removes credentials from any URL and leaves others alone', () => {
    expect(stripUserinfo('https://tok:x-oauth@host/r.git')).toBe('https://host/r.git');
    expect(stripUserinfo('ssh://git@host/r.git')).toBe('ssh://host/r.git');
    expect(stripUserinfo('/srv/repo')).toBe('/srv/repo');
  });
});
