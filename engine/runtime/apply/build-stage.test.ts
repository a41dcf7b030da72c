import { describe, expect, it } from 'vitest';
import { fromPlanRegistry } from './build-stage.ts';

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
