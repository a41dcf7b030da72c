import { describe, expect, it } from 'vitest';
import { classifyBuildFailure } from './build-failure.ts';

const failed = "The command '/bin/sh -c npm ci' returned a non-zero code: 1";

describe('classifyBuildFailure', () => {
  it.each([
    [
      'Step 5/9 : RUN npm ci',
      ['npm ERR! code ENOTFOUND', 'npm ERR! network request failed'],
      'npm',
    ],
    [
      'Step 3/7 : RUN pip install -r requirements.txt',
      [
        'WARNING: Retrying ... Failed to establish a new connection: [Errno -3] Temporary failure in name resolution',
      ],
      'pip',
    ],
    [
      'Step 4/6 : RUN go mod download',
      [
        'go: github.com/gin-gonic/gin@v1.9.1: Get "https://proxy.golang.org/...": dial tcp: lookup proxy.golang.org on 8.8.8.8:53: no such host',
      ],
      'go',
    ],
    [
      'Step 2/4 : RUN apt-get update && apt-get install -y git',
      ["W: Failed to fetch http://deb.debian.org/  Temporary failure resolving 'deb.debian.org'"],
      'apt',
    ],
    [
      'Step 6/8 : RUN ["/bin/sh","-c","yarn install --frozen-lockfile\\n"]',
      ['error An unexpected error occurred: "getaddrinfo EAI_AGAIN registry.yarnpkg.com"'],
      'yarn',
    ],
  ])(
    'given %s failing offline, when classified, then it is a network failure of that tool',
    (step, output, tool) => {
      expect(classifyBuildFailure(step, output, failed)).toMatchObject({ kind: 'network', tool });
    },
  );

  it('given Maven offline with only a cached transfer failure, when classified, then it is a Maven network failure', () => {
    const output = [
      '[WARNING] org.codehaus.mojo/maven-metadata.xmlfailed to transfer from https://repo.maven.apache.org/maven2 during a previous attempt.',
      "[ERROR] No plugin found for prefix 'dependency' in the current project and in the plugin groups [org.apache.maven.plugins, org.codehaus.mojo] available from the repositories [local (/root/.m2/repository), central (https://repo.maven.apache.org/maven2)] -> [Help 1]",
    ];
    expect(
      classifyBuildFailure('Step 4/13 : RUN mvn dependency:go-offline', output, failed),
    ).toMatchObject({ kind: 'network', tool: 'mvn' });
  });

  it('given a lockfile dependency fetched from outside the registry, when classified, then the host is named', () => {
    const output = [
      'npm error code EAI_AGAIN',
      'npm error request to https://codeload.github.com/SeattleDevs/fetch-blob/tar.gz/6a15e5f failed, reason: getaddrinfo EAI_AGAIN codeload.github.com',
    ];
    expect(classifyBuildFailure('Step 13/32 : RUN npm ci', output, failed)).toEqual({
      kind: 'network',
      tool: 'npm',
      host: 'codeload.github.com',
    });
    expect(
      classifyBuildFailure(
        'Step 2/4 : RUN apt-get update',
        ["W: Failed to fetch http://deb.debian.org/  Temporary failure resolving 'deb.debian.org'"],
        failed,
      ),
    ).toMatchObject({ host: 'deb.debian.org' });
  });

  it('given a step failing for another reason, when classified, then it is a step failure', () => {
    expect(classifyBuildFailure('Step 5/9 : RUN npm test', ['1 failing'], failed)).toEqual({
      kind: 'step',
    });
  });

  it('given a FROM the engine cannot find, when classified, then it names the base image', () => {
    expect(
      classifyBuildFailure(
        'Step 1/3 : FROM node:18-slim',
        [],
        'pull access denied for node, repository does not exist',
      ),
    ).toEqual({ kind: 'base-image', image: 'node' });
    expect(
      classifyBuildFailure(
        'Step 1/3 : FROM --platform=linux/amd64 golang:1.22',
        [],
        'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host',
      ),
    ).toEqual({
      kind: 'base-image',
      image: 'golang:1.22',
    });
  });

  it('given no step at all, when classified, then the engine failed', () => {
    expect(
      classifyBuildFailure(
        undefined,
        [],
        'dockerfile parse error line 2: unknown instruction: ECHO',
      ),
    ).toEqual({ kind: 'engine' });
  });
});

describe('classifyBuildFailure on an environment check', () => {
  it('given t3-env output, then the cause is configuration with the variables it named, once each', () => {
    const output = [
      '❌ Invalid environment variables: [',
      '  {',
      "    path: [ 'AUTH_DISCORD_ID' ],",
      "    message: 'Invalid input: expected string, received undefined'",
      "    path: [ 'AUTH_SECRET' ],",
      "    path: [ 'AUTH_SECRET' ],",
      ' ELIFECYCLE  Command failed with exit code 1.',
    ];
    expect(classifyBuildFailure('Step 14/33 : RUN pnpm run build', output, failed)).toEqual({
      kind: 'configuration',
      variables: ['AUTH_DISCORD_ID', 'AUTH_SECRET'],
    });
  });

  it('given a failing step that names no environment check, then it stays a step failure', () => {
    expect(
      classifyBuildFailure(
        'Step 3/5 : RUN npm run build',
        ['error TS2304: Cannot find name'],
        failed,
      ),
    ).toEqual({ kind: 'step' });
  });
});
