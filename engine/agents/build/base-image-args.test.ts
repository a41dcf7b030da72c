import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { baseImageArg, runtimeOf } from './base-image-args.ts';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'prodsprint-base-arg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('baseImageArg', () => {
  it.each([
    ['orders-api', 'node:22-bookworm-slim', 'node'],
    ['inventory-api', 'python:3.11-slim-bookworm', 'python'],
  ] as const)('%s declares BASE_IMAGE with a public default', (name, publicImage, runtime) => {
    expect(baseImageArg(join(examples, name))).toEqual({
      publicImage,
      runtime,
      buildArgs: { BASE_IMAGE: `local/${runtime}:base` },
    });
  });

  it('is undefined for a Dockerfile whose FROM does not use the arg', () => {
    writeFileSync(join(dir, 'Dockerfile'), 'ARG BASE_IMAGE=node:22\nFROM node:22\n');
    expect(baseImageArg(dir)).toBeUndefined();
  });

  it('maps no local base for a runtime it does not build', () => {
    writeFileSync(join(dir, 'Dockerfile.go'), 'ARG BASE_IMAGE=golang:1.22\nFROM $BASE_IMAGE\n');
    expect(baseImageArg(dir, 'Dockerfile.go')).toEqual({
      publicImage: 'golang:1.22',
      runtime: undefined,
      buildArgs: {},
    });
  });
});

describe('runtimeOf', () => {
  it.each([
    ['docker.io/library/node:22@sha256:abc', 'node'],
    ['python', 'python'],
    ['registry.local:5000/team/python:3.11', 'python'],
    ['nodejs/custom:1', undefined],
  ])('%s → %s', (image, runtime) => expect(runtimeOf(image)).toBe(runtime));
});
