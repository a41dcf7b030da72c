import { describe, expect, it } from 'vitest';
import { inSubnet } from './build-network.ts';
import { relayBuildArgs } from './relay-build-args.ts';
import { isYarnV1Lock, pointYarnLockAtRelay } from './yarn-lock.ts';

describe('relayBuildArgs', () => {
  it('given npm, pypi and go relays, then each client is pointed at its relay URL and nothing else', () => {
    const { buildArgs, notes } = relayBuildArgs(
      {
        npm: 'http://172.20.9.1:40001/',
        pypi: 'http://172.20.9.1:40002/simple/',
        go: 'http://172.20.9.1:40003/',
      },
      '172.20.9.1',
    );
    expect(buildArgs).toEqual({
      NPM_CONFIG_REGISTRY: 'http://172.20.9.1:40001/',
      YARN_REGISTRY: 'http://172.20.9.1:40001/',
      YARN_NPM_REGISTRY_SERVER: 'http://172.20.9.1:40001/',
      YARN_UNSAFE_HTTP_WHITELIST: '172.20.9.1',
      BUN_CONFIG_REGISTRY: 'http://172.20.9.1:40001/',
      COREPACK_NPM_REGISTRY: 'http://172.20.9.1:40001',
      COREPACK_INTEGRITY_KEYS: '0',
      PIP_INDEX_URL: 'http://172.20.9.1:40002/simple/',
      PIP_TRUSTED_HOST: '172.20.9.1',
      UV_INDEX_URL: 'http://172.20.9.1:40002/simple/',
      UV_DEFAULT_INDEX: 'http://172.20.9.1:40002/simple/',
      GOPROXY: 'http://172.20.9.1:40003/',
      GOSUMDB: 'off',
    });
    expect(notes).toHaveLength(3);
    expect(notes[2]).toContain('GOSUMDB=off: no checksum database offline');
  });

  it('given a Maven relay, then only the plan Dockerfiles’ MAVEN_MIRROR_URL is set and the note says what others need', () => {
    const { buildArgs, notes } = relayBuildArgs(
      { maven: 'http://172.20.9.1:40004/' },
      '172.20.9.1',
    );
    expect(buildArgs).toEqual({ MAVEN_MIRROR_URL: 'http://172.20.9.1:40004/' });
    expect(notes).toEqual([expect.stringContaining('settings.xml <mirror>')]);
  });

  it('given no mirror, then the build gets no arg at all', () => {
    expect(relayBuildArgs({}, '172.20.9.1')).toEqual({ buildArgs: {}, notes: [] });
  });
});

describe('inSubnet', () => {
  it('accepts the subnet, IPv4-mapped forms included, and nothing else', () => {
    expect(inSubnet('172.20.9.2', '172.20.9.0/24')).toBe(true);
    expect(inSubnet('::ffff:172.20.9.254', '172.20.9.0/24')).toBe(true);
    expect(inSubnet('172.20.10.2', '172.20.9.0/24')).toBe(false);
    expect(inSubnet('127.0.0.1', '172.20.9.0/24')).toBe(false);
    expect(inSubnet('::1', '172.20.9.0/24')).toBe(false);
    expect(inSubnet('172.31.250.7', '172.31.0.0/16')).toBe(true);
  });
});

describe('pointYarnLockAtRelay', () => {
  const lock = [
    '# yarn lockfile v1',
    '',
    'left-pad@^1.3.0:',
    '  version "1.3.0"',
    '  resolved "https://registry.yarnpkg.com/left-pad/-/left-pad-1.3.0.tgz#3e2fc6a5"',
    '  integrity sha512-abc',
    '',
    'private@1.0.0:',
    '  resolved "https://npm.corp.internal/private/-/private-1.0.0.tgz"',
    '',
  ].join('\n');

  it("given yarn 1's lock, then public registry URLs go to the relay and integrity stays", () => {
    expect(isYarnV1Lock(lock)).toBe(true);
    const pointed = pointYarnLockAtRelay(lock, 'http://172.20.9.1:40001/');
    expect(pointed).toContain(
      'resolved "http://172.20.9.1:40001/left-pad/-/left-pad-1.3.0.tgz#3e2fc6a5"',
    );
    expect(pointed).toContain('integrity sha512-abc');
    expect(pointed).toContain('resolved "https://npm.corp.internal/private/-/private-1.0.0.tgz"');
  });
});
