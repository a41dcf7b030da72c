import { describe, expect, it } from 'vitest';
import { BuildFailedError } from '../../agents/build/build-image.ts';
import { OfflineInputMissingError } from '../../system/offline-input.ts';
import { BlockedStageError } from '../../runs/index.ts';
import { buildBlocker, mirrorMisses } from './package-access.ts';

// What a build that could not reach the network stops with (issue 14): the mirror to configure,
// or, when the mirror was there, the host the build asked instead of it.
const planned = { externalImages: [], packageManagers: [] } as never;
const relay = { urls: { npm: 'http://172.20.0.1:40001/' } } as never;
const offline = (host?: string) =>
  new BuildFailedError('npm ci returned 1', 'Step 13/32 : RUN npm ci', 'configure a mirror', {
    kind: 'network',
    tool: 'npm',
    ...(host ? { host } : {}),
  });

describe('buildBlocker', () => {
  it('given no npm mirror, then the remedy is the setting that configures one', () => {
    const blocker = buildBlocker(offline('registry.npmjs.org'), planned, undefined);
    expect(blocker).toBeInstanceOf(OfflineInputMissingError);
    expect((blocker as OfflineInputMissingError).remedy).toMatch(
      /prodsprint config set mirrors\.npm/,
    );
  });

  it('given the mirror and a fetch from another host, then it names that host and how to serve it', () => {
    const blocker = buildBlocker(offline('codeload.github.com'), planned, relay);
    expect(blocker).toBeInstanceOf(OfflineInputMissingError);
    const { message, remedy } = blocker as OfflineInputMissingError;
    expect(message).toMatch(/fetched from codeload\.github\.com, which is not the npm registry/);
    expect(remedy).toMatch(
      /^Publish what the build fetches from codeload\.github\.com to your npm mirror/,
    );
  });

  it('given the mirror and no other host, then the mirror lacks a package the lockfile names', () => {
    const blocker = buildBlocker(offline(), planned, relay);
    expect((blocker as OfflineInputMissingError).remedy).toMatch(
      /Make the npm mirror \(http:\/\/172\.20\.0\.1:40001\/\) carry the packages/,
    );
  });
});

describe('mirrorMisses', () => {
  const failed = new BlockedStageError(
    'image build failed at Step 13/32 : RUN corepack enable && pnpm install',
    'fix the step',
  );
  const missed = ['npm GET /pnpm/-/pnpm-12.26.0.tgz 404 21 B — no such package available'];

  it('given a failing step after the mirror refused a request, then the mirror is what is missing', () => {
    const blocker = mirrorMisses(failed, missed, relay);
    expect(blocker).toBeInstanceOf(OfflineInputMissingError);
    expect((blocker as OfflineInputMissingError).message).toMatch(
      /the npm mirror did not serve npm GET \/pnpm\/-\/pnpm-12\.26\.0\.tgz 404 21 B$/,
    );
  });

  it('given no refused request, then the step failure stands', () => {
    expect(mirrorMisses(failed, [], relay)).toBe(failed);
  });
});
