import { describe, expect, it } from 'vitest';
import {
  engineName,
  familiarReference,
  fromInstructionImage,
  InvalidImageReferenceError,
  mirrorReference,
  normalizedReference,
  parseImageReference,
} from './image-reference.ts';

const DIGEST = `sha256:${'ab12'.repeat(16)}`;

describe('parseImageReference', () => {
  it('given the four spellings of an official image, when parsed, then they are one image', () => {
    const spellings = [
      'node:18-slim',
      'library/node:18-slim',
      'docker.io/library/node:18-slim',
      'index.docker.io/library/node:18-slim',
      'docker.io/node:18-slim',
    ];
    for (const spelling of spellings) {
      const ref = parseImageReference(spelling);
      expect(normalizedReference(ref)).toBe('docker.io/library/node:18-slim');
      expect(familiarReference(ref)).toBe('node:18-slim');
      expect(ref).toMatchObject({ registry: 'docker.io', namespace: 'library', official: true });
    }
  });

  it('given no tag and no digest, when parsed, then the tag is latest', () => {
    expect(parseImageReference('nginx')).toMatchObject({ path: 'library/nginx', tag: 'latest' });
    expect(familiarReference(parseImageReference('nginx'))).toBe('nginx:latest');
  });

  it('given a Docker Hub user image, when parsed, then it keeps its namespace and is not official', () => {
    const ref = parseImageReference('bitnami/redis:7.2');
    expect(ref).toMatchObject({
      registry: 'docker.io',
      path: 'bitnami/redis',
      namespace: 'bitnami',
      name: 'redis',
      tag: '7.2',
      official: false,
    });
    expect(familiarReference(ref)).toBe('bitnami/redis:7.2');
  });

  it('given a first component with a dot, a port or localhost, when parsed, then it is the registry', () => {
    expect(parseImageReference('gcr.io/distroless/static:nonroot')).toMatchObject({
      registry: 'gcr.io',
      path: 'distroless/static',
      namespace: 'distroless',
      name: 'static',
      tag: 'nonroot',
    });
    expect(parseImageReference('127.0.0.1:5000/team/app:v1')).toMatchObject({
      registry: '127.0.0.1:5000',
      path: 'team/app',
      tag: 'v1',
    });
    expect(parseImageReference('localhost/app')).toMatchObject({
      registry: 'localhost',
      path: 'app',
      official: false,
    });
    expect(parseImageReference('registry:5000/app').registry).toBe('registry:5000');
    expect(parseImageReference('mcr.microsoft.com/dotnet/sdk:8.0')).toMatchObject({
      registry: 'mcr.microsoft.com',
      path: 'dotnet/sdk',
      name: 'sdk',
      tag: '8.0',
    });
  });

  it('given a port but no tag, when parsed, then the port is not taken for a tag', () => {
    const ref = parseImageReference('127.0.0.1:5000/app');
    expect(ref).toMatchObject({ registry: '127.0.0.1:5000', path: 'app', tag: 'latest' });
  });

  it('given a digest, with or without a tag, when parsed, then both are kept', () => {
    const pinned = parseImageReference(`eclipse-temurin:25.0.3_9-jre-alpine@${DIGEST}`);
    expect(pinned).toMatchObject({ tag: '25.0.3_9-jre-alpine', digest: DIGEST });
    expect(normalizedReference(pinned)).toBe(
      `docker.io/library/eclipse-temurin:25.0.3_9-jre-alpine@${DIGEST}`,
    );
    const bare = parseImageReference(`node@${DIGEST.toUpperCase().replace('SHA256', 'sha256')}`);
    expect(bare.tag).toBeUndefined();
    expect(bare.digest).toBe(DIGEST);
  });

  it('given real-world tags, when parsed, then the tag is kept verbatim', () => {
    const tags: Record<string, string> = {
      'node:18.19.1-bookworm-slim': '18.19.1-bookworm-slim',
      'node:lts-alpine3.19': 'lts-alpine3.19',
      'docker.io/node:lts-alpine': 'lts-alpine',
      'python:3.12-slim-bookworm': '3.12-slim-bookworm',
      'nginx:1.13-alpine': '1.13-alpine',
      'ubuntu:22.04': '22.04',
      'maven:3.9.6-eclipse-temurin-21': '3.9.6-eclipse-temurin-21',
    };
    for (const [reference, tag] of Object.entries(tags))
      expect(parseImageReference(reference).tag).toBe(tag);
  });

  it.each([
    ['', 'empty'],
    ['Node:18', 'lower-case'],
    ['node:18 AS build', 'white space'],
    ['${BASE_IMAGE}', 'unexpanded variable'],
    ['node:-bad', 'not a valid tag'],
    ['node@sha256:xyz', 'not a digest'],
    ['foo//bar', 'empty path component'],
    ['foo/-bar', 'start and end'],
    ['foo/a..b', 'consecutive separators'],
    ['foo/a___b', 'consecutive separators'],
    ['bad_host.io:x/app', 'not a registry host'],
  ])('given %j, when parsed, then it is refused (%s) with a remedy', (text, why) => {
    let error: unknown;
    try {
      parseImageReference(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidImageReferenceError);
    expect((error as Error).message).toContain(why);
    expect((error as InvalidImageReferenceError).remedy).toMatch(/\S/);
  });

  it('given separators that the grammar allows, when parsed, then they are accepted', () => {
    for (const name of ['my-app', 'my--app', 'my__app', 'my_app', 'my.app', 'a1/b-2/c.3'])
      expect(() => parseImageReference(name)).not.toThrow();
  });

  it('given a very long hostile name, when parsed, then it answers at once', () => {
    const hostile = `${'a-'.repeat(20_000)}!`;
    const started = performance.now();
    expect(() => parseImageReference(hostile)).toThrow(InvalidImageReferenceError);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('engineName', () => {
  it('given a tag, when named for the engine, then it is the familiar reference', () => {
    expect(engineName(parseImageReference('docker.io/library/node:18-slim'))).toBe('node:18-slim');
    expect(engineName(parseImageReference('gcr.io/distroless/static'))).toBe(
      'gcr.io/distroless/static:latest',
    );
  });

  it('given a digest, when named for the engine, then the digest becomes the tag', () => {
    expect(engineName(parseImageReference(`node:18@${DIGEST}`))).toBe(
      `node:${DIGEST.replace(':', '-')}`,
    );
  });
});

describe('mirrorReference', () => {
  it('given a Docker Hub image, when mapped to a mirror, then it keeps Docker Hub’s path', () => {
    expect(mirrorReference(parseImageReference('node:18-slim'), 'http://127.0.0.1:15000')).toBe(
      '127.0.0.1:15000/library/node:18-slim',
    );
    expect(mirrorReference(parseImageReference('bitnami/redis:7'), 'mirror.corp:5000/')).toBe(
      'mirror.corp:5000/bitnami/redis:7',
    );
  });

  it('given another registry or a mirror prefix, when mapped, then the host becomes a path', () => {
    expect(
      mirrorReference(
        parseImageReference('gcr.io/distroless/static:nonroot'),
        'https://mirror.corp/hub',
      ),
    ).toBe('mirror.corp/hub/gcr.io/distroless/static:nonroot');
    expect(mirrorReference(parseImageReference(`node@${DIGEST}`), 'http://m:5000')).toBe(
      `m:5000/library/node@${DIGEST}`,
    );
  });
});

describe('fromInstructionImage', () => {
  it('given a FROM argument with platform and stage, when read, then the image and stage come out', () => {
    expect(fromInstructionImage('golang:1.22-alpine AS build')).toEqual({
      image: 'golang:1.22-alpine',
      stage: 'build',
    });
    expect(fromInstructionImage('--platform=$BUILDPLATFORM node:20 as deps')).toEqual({
      image: 'node:20',
      stage: 'deps',
    });
    expect(fromInstructionImage('  nginx:alpine ')).toEqual({ image: 'nginx:alpine' });
  });
});
