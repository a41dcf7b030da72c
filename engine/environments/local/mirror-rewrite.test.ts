import { describe, expect, it } from 'vitest';
import {
  isRewritable,
  mirrorMapping,
  rewriteLocation,
  rewriteText,
  upstreamUrl,
} from './mirror-rewrite.ts';

const RELAY = 'http://172.20.10.1:41000';

describe('mirrorMapping', () => {
  it('given an npm mirror with a path, then its base is origin + path and clients get /', () => {
    expect(mirrorMapping('npm', 'https://nexus.internal/repository/npm-proxy/')).toEqual({
      base: 'https://nexus.internal/repository/npm-proxy',
      entryPath: '/',
    });
    expect(mirrorMapping('npm', 'http://127.0.0.1:4873')).toEqual({
      base: 'http://127.0.0.1:4873',
      entryPath: '/',
    });
  });

  it("given a PyPI simple index, then the base is the index's parent and clients get /simple/", () => {
    expect(mirrorMapping('pypi', 'https://nexus.internal/repository/pypi-proxy/simple/')).toEqual({
      base: 'https://nexus.internal/repository/pypi-proxy',
      entryPath: '/simple/',
    });
    expect(mirrorMapping('pypi', 'https://devpi.internal/root/pypi/+simple')).toEqual({
      base: 'https://devpi.internal/root/pypi',
      entryPath: '/+simple/',
    });
    expect(mirrorMapping('pypi', 'http://127.0.0.1:8080/simple/')).toEqual({
      base: 'http://127.0.0.1:8080',
      entryPath: '/simple/',
    });
  });
});

describe('upstreamUrl', () => {
  const mapping = mirrorMapping('npm', 'https://nexus.internal/repository/npm-proxy/');

  it('given a scoped package path, then the encoded slash and the query are kept as sent', () => {
    expect(upstreamUrl(mapping, '/@types%2fnode?write=true')).toBe(
      'https://nexus.internal/repository/npm-proxy/@types%2fnode?write=true',
    );
  });

  it('given a path that steps out of the base, then there is no upstream URL', () => {
    for (const path of [
      '/../admin',
      '/a/%2e%2e/b',
      '/./x',
      '//evil.example/x',
      'x',
      '/a\\..\\b',
      '/%zz',
    ])
      expect(upstreamUrl(mapping, path), path).toBeUndefined();
  });
});

describe('rewriteText', () => {
  it('given an npm packument, then dist.tarball points at the relay and nothing else changes', () => {
    const mapping = mirrorMapping('npm', 'http://127.0.0.1:4873/');
    const packument = JSON.stringify({
      name: 'left-pad',
      homepage: 'http://127.0.0.1:48730/not-the-mirror',
      versions: {
        '1.3.0': { dist: { tarball: 'http://127.0.0.1:4873/left-pad/-/left-pad-1.3.0.tgz' } },
      },
    });
    const rewritten = JSON.parse(rewriteText(packument, mapping, RELAY));
    expect(rewritten.versions['1.3.0'].dist.tarball).toBe(`${RELAY}/left-pad/-/left-pad-1.3.0.tgz`);
    // 4873 followed by 0 is another port, not the mirror: left alone.
    expect(rewritten.homepage).toBe('http://127.0.0.1:48730/not-the-mirror');
  });

  it('given JSON with escaped slashes, then those URLs are rewritten too', () => {
    const mapping = mirrorMapping('npm', 'https://nexus.internal/npm');
    expect(rewriteText('{"t":"https:\\/\\/nexus.internal\\/npm\\/a.tgz"}', mapping, RELAY)).toBe(
      '{"t":"http:\\/\\/172.20.10.1:41000\\/a.tgz"}',
    );
  });

  it('given a PEP 503 page with absolute and relative links, then absolute ones go to the relay', () => {
    const mapping = mirrorMapping('pypi', 'https://nexus.internal/repository/pypi/simple/');
    const page =
      '<a href="https://nexus.internal/repository/pypi/packages/aa/demo-1.0-py3-none-any.whl#sha256=ab">demo</a>\n' +
      '<a href="../../packages/bb/demo-1.1.tar.gz#sha256=cd">demo</a>\n' +
      '<a href="https://nexus.internal/repository/pypi-other/x.whl">other</a>';
    expect(rewriteText(page, mapping, RELAY)).toBe(
      `<a href="${RELAY}/packages/aa/demo-1.0-py3-none-any.whl#sha256=ab">demo</a>\n` +
        '<a href="../../packages/bb/demo-1.1.tar.gz#sha256=cd">demo</a>\n' +
        '<a href="https://nexus.internal/repository/pypi-other/x.whl">other</a>',
    );
  });
});

describe('rewriteLocation and isRewritable', () => {
  const mapping = mirrorMapping('maven', 'https://nexus.internal/repository/maven-public/');

  it('given a redirect under the base, then it goes to the relay; elsewhere, it is kept', () => {
    expect(
      rewriteLocation('https://nexus.internal/repository/maven-public/a/b.jar', mapping, RELAY),
    ).toBe(`${RELAY}/a/b.jar`);
    expect(rewriteLocation('https://cdn.internal/a/b.jar', mapping, RELAY)).toBe(
      'https://cdn.internal/a/b.jar',
    );
  });

  it('rewrites JSON, HTML and XML answers, never artifacts or a checksummed .pom', () => {
    expect(isRewritable('application/vnd.npm.install-v1+json; charset=utf-8', '/x')).toBe(true);
    expect(isRewritable('application/vnd.pypi.simple.v1+html', '/simple/x/')).toBe(true);
    expect(isRewritable('text/xml', '/org/x/maven-metadata.xml')).toBe(true);
    expect(isRewritable('text/xml', '/org/x/1.0/x-1.0.pom')).toBe(false);
    expect(isRewritable('application/octet-stream', '/x/-/x-1.0.0.tgz')).toBe(false);
    expect(isRewritable(undefined, '/x')).toBe(false);
  });
});
