import { describe, expect, it } from 'vitest';
import { OfflineInputMissingError } from '../../system/offline-input.ts';
import { BuildFailedError, classifyBuildFailure, remedyFor } from '../../agents/build/index.ts';
import { fromPlanRegistry, onDifferentMajor } from './build-stage.ts';
import { buildBlocker, BuildSettingsMissingError } from './package-access.ts';

describe('fromPlanRegistry', () => {
  it('takes the plan’s pinned images by their Docker Hub names for a local build', () => {
    const plan = [
      'FROM registry.internal/library/node:22.12-bookworm-slim@sha256:c7eb AS build',
      'RUN npm ci',
      'FROM --platform=linux/amd64 registry.internal/distroless/static-debian12:nonroot@sha256:39da',
      'COPY --from=build /app /app',
    ].join('\n');
    expect(fromPlanRegistry(plan, 'registry.internal')).toBe(
      [
        'FROM node:22.12-bookworm-slim AS build',
        'RUN npm ci',
        'FROM --platform=linux/amd64 gcr.io/distroless/static-debian12:nonroot',
        'COPY --from=build /app /app',
      ].join('\n'),
    );
  });

  it('leaves images from other registries and other instructions alone', () => {
    const text = 'FROM gcr.io/distroless/static\nRUN echo registry.internal/library/x\n';
    expect(fromPlanRegistry(text, 'registry.internal')).toBe(text);
  });
});

describe('onDifferentMajor', () => {
  /** The blocker buildBlocker makes of a failed `yarn install` that printed `output`. */
  const failedWith = (output: string[]) => {
    const step = 'Step 12/16 : RUN yarn install';
    const message = "The command '/bin/sh -c yarn install' returned a non-zero code: 1";
    const cause = classifyBuildFailure(step, output, message);
    const error = new BuildFailedError(message, step, remedyFor(message, cause), cause);
    return buildBlocker(error, { externalImages: [] } as never, undefined);
  };
  const failed = failedWith([
    '\x1b[91merror node-sass@4.14.1: The engine "node" is incompatible with this module. Expected version "<15".',
  ]);
  const standIn = (warnings: string[]) =>
    [{ requested: 'node:14.4.0-alpine', standIn: { warnings } }] as never;
  const otherMajor = standIn([
    'Node 14 (14.4.0) requested: Node 20.19.2 stands in (the major differs)',
  ]);

  it('given a step whose output blames the version, on a stand-in of another major, then the real image is the missing input', () => {
    const blocker = onDifferentMajor(failed, otherMajor);
    expect(blocker).toBeInstanceOf(OfflineInputMissingError);
    expect((blocker as OfflineInputMissingError).remedy).toMatch(
      /^Supply node:14\.4\.0-alpine itself/,
    );
    expect((blocker as OfflineInputMissingError).detail).toContain(
      'the output says: error node-sass@4.14.1: The engine "node" is incompatible',
    );
  });

  it('given a step that fails for its own reasons, then no stand-in is blamed even of another major', () => {
    const own = failedWith([
      ' ERR_PNPM_NO_LOCKFILE  Cannot install with "frozen-lockfile" because pnpm-lock.yaml is absent',
    ]);
    expect(onDifferentMajor(own, otherMajor)).toBe(own);
  });

  it('given the same major, then the step failure stands as it is', () => {
    expect(onDifferentMajor(failed, standIn([]))).toBe(failed);
  });

  it('given a build that stopped on its own environment check, then no stand-in is blamed', async () => {
    const output = [
      '❌ Invalid environment variables: [',
      "    path: [ 'AUTH_SECRET' ],",
      "    path: [ 'AUTH_DISCORD_ID' ],",
    ];
    const step = 'Step 14/33 : RUN pnpm run build';
    const cause = classifyBuildFailure(step, output, 'returned a non-zero code: 1');
    const error = new BuildFailedError(
      'returned a non-zero code: 1',
      step,
      remedyFor('', cause),
      cause,
    );
    const blocker = buildBlocker(error, { externalImages: [] } as never, undefined);
    expect(blocker).toBeInstanceOf(BuildSettingsMissingError);
    expect(
      onDifferentMajor(
        blocker,
        standIn(['Node 22 requested: Node 24.22.3 stands in (the major differs)']),
      ),
    ).toBe(blocker);
    expect((blocker as BuildSettingsMissingError).message).toContain(
      '(AUTH_SECRET, AUTH_DISCORD_ID)',
    );
    expect((blocker as BuildSettingsMissingError).remedy).toContain(
      'some variables were missing (AUTH_SECRET, AUTH_DISCORD_ID). Give the build those values',
    );
    // What the sprint shows has passed the redactor: the advice must survive it.
    const { Redactor } = await import('../../secrets/redact.ts');
    expect(new Redactor().redact((blocker as BuildSettingsMissingError).remedy!)).toBe(
      (blocker as BuildSettingsMissingError).remedy,
    );
  });
});
