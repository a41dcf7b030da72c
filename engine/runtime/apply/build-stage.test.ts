import { describe, expect, it } from 'vitest';
import { BlockedStageError } from '../../runs/index.ts';
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
  const failed = new BlockedStageError(
    'image build failed at Step 12/16 : RUN yarn install',
    'fix the step',
  );
  const standIn = (warnings: string[]) =>
    [{ requested: 'node:14.4.0-alpine', standIn: { warnings } }] as never;

  it('given a step that failed on a stand-in of another major, then the real image is the missing input', () => {
    const blocker = onDifferentMajor(
      failed,
      standIn(['Node 14 (14.4.0) requested: Node 20.19.2 stands in (the major differs)']),
    );
    expect(blocker).toBeInstanceOf(OfflineInputMissingError);
    expect((blocker as OfflineInputMissingError).remedy).toMatch(
      /^Supply node:14\.4\.0-alpine itself/,
    );
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
