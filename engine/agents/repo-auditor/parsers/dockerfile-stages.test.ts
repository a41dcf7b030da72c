import { describe, expect, it } from 'vitest';
import { parseDockerfile, startCommandOf } from './dockerfile.ts';
import { laterProductionStage, resolveStage, stageChain, stageIndex } from './dockerfile-stages.ts';

const MULTI_STAGE = `ARG PY=3.12
FROM python:\${PY}-slim AS Base
EXPOSE 8000
USER app
CMD ["gunicorn", "app:app"]

FROM base AS builder
RUN pip install -r requirements.txt

FROM builder
HEALTHCHECK CMD curl -f http://localhost:8000/health
`;

describe('resolveStage', () => {
  it('given FROM <stage> chains, when resolved, then the base is the external image and config is inherited', () => {
    const parsed = parseDockerfile(MULTI_STAGE);
    expect(parsed.stages.map((stage) => stage.name)).toEqual(['base', 'builder', null]);
    expect(stageChain(parsed, 2)).toEqual([0, 1, 2]);
    const final = resolveStage(parsed, 2);
    expect(final.baseImage).toBe('python:3.12-slim');
    expect(final.line).toBe(10);
    expect(final.exposes).toEqual([{ port: 8000, line: 3 }]);
    expect(final.user).toEqual({ name: 'app', line: 4 });
    expect(startCommandOf(final)).toEqual({ command: 'gunicorn app:app', line: 5 });
    expect(final.healthcheck?.line).toBe(11);
  });

  it('given a build arg for a global ARG, when resolved, then FROM uses it; an unknown ARG stays as written', () => {
    const parsed = parseDockerfile(MULTI_STAGE);
    expect(resolveStage(parsed, 0, { PY: '3.11' }).baseImage).toBe('python:3.11-slim');
    expect(resolveStage(parseDockerfile('ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\n'), 0).baseImage).toBe(
      '${BASE_IMAGE}',
    );
  });

  it('given an ENTRYPOINT in a child stage, when resolved, then the inherited CMD is cleared (Docker semantics)', () => {
    const parsed = parseDockerfile(
      'FROM node:20 AS a\nCMD ["node", "a.js"]\nFROM a\nENTRYPOINT ["/entry.sh"]\n',
    );
    expect(startCommandOf(resolveStage(parsed, 1))).toEqual({ command: '/entry.sh', line: 4 });
  });

  it('given stage names in any case, when looked up, then they match case-insensitively', () => {
    const parsed = parseDockerfile(MULTI_STAGE);
    expect(stageIndex(parsed, 'BUILDER')).toBe(1);
    expect(stageIndex(parsed, 'missing')).toBeUndefined();
  });
});

describe('laterProductionStage', () => {
  it('given a dev target, when a production-named stage follows, then that stage is chosen', () => {
    const parsed = parseDockerfile(
      'FROM node:20 AS development\nFROM development AS build\nFROM node:20-slim AS production\nFROM production AS debug\n',
    );
    expect(laterProductionStage(parsed, 0)).toBe(2);
  });

  it('given only dev-named stages after the target, when asked, then there is none; an unnamed last stage counts', () => {
    expect(
      laterProductionStage(
        parseDockerfile('FROM node AS development\nFROM development AS dev-envs\n'),
        0,
      ),
    ).toBeUndefined();
    expect(
      laterProductionStage(parseDockerfile('FROM node AS development\nFROM nginx:1.25\n'), 0),
    ).toBe(1);
  });
});

describe('parseDockerfile COPY, RUN and heredocs', () => {
  it('given COPY/ADD forms, when parsed, then context sources are kept and --from, URLs and heredocs are not', () => {
    const parsed = parseDockerfile(`FROM node:20 AS build
COPY --chown=node:node package.json pnpm-lock.yaml ./
COPY ["apps/api", "/src/apps/api"]
COPY --from=deps /deps /deps
ADD https://example.com/x.tgz /x.tgz
RUN <<EOF
FROM not-a-stage
EXPOSE 1
EOF
COPY <<EOF /etc/conf
x
EOF
RUN pnpm --filter api build
`);
    expect(parsed.stages).toHaveLength(1);
    const stage = parsed.stages[0]!;
    expect(stage.exposes).toEqual([]);
    expect(stage.copies).toEqual([
      { sources: ['package.json', 'pnpm-lock.yaml'], destination: './', line: 2 },
      { sources: ['apps/api'], destination: '/src/apps/api', line: 3 },
    ]);
    expect(stage.runs.map((run) => run.line)).toEqual([6, 13]);
  });
});
