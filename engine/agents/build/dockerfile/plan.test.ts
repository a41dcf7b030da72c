import { describe, expect, it } from 'vitest';
import { UnsupportedDockerfileError } from './errors.ts';
import { planLegacyBuild, type PlanOptions } from './plan.ts';

const file = (...lines: string[]) => `${lines.join('\n')}\n`;
const plan = (text: string, options: PlanOptions = {}) => planLegacyBuild(text, options);
const refusal = (text: string, options: PlanOptions = {}) => {
  try {
    planLegacyBuild(text, options);
  } catch (error) {
    expect(error).toBeInstanceOf(UnsupportedDockerfileError);
    const refused = error as UnsupportedDockerfileError;
    expect(refused.remedy.trim()).not.toBe('');
    return refused;
  }
  throw new Error('expected the Dockerfile to be refused');
};

// A compose-sample layout: the target stage, then a dev stage with BuildKit-only syntax.
const DEV_ENVS = file(
  '# syntax=docker/dockerfile:1.4',
  'FROM node:lts AS development',
  'WORKDIR /code',
  'COPY package.json package-lock.json ./',
  'RUN npm ci',
  'CMD ["node", "src/index.js"]',
  '',
  'FROM development AS dev-envs',
  'RUN <<EOF',
  'apt-get update',
  'apt-get install -y git',
  'EOF',
  'COPY --from=example/docker-tools / /',
);

describe('planLegacyBuild: stages', () => {
  it('given a target followed by a heredoc stage, when planned for the target, then the later stage is gone', () => {
    const result = plan(DEV_ENVS, { target: 'development' });
    expect(result.dockerfile).toBe(
      file(
        'FROM node:lts AS development',
        'WORKDIR /code',
        'COPY package.json package-lock.json ./',
        'RUN npm ci',
        'CMD ["node", "src/index.js"]',
      ),
    );
    expect(result.target).toBe('development');
    expect(result.stages).toEqual([
      { index: 0, name: 'development', from: 'node:lts', external: true, line: 2 },
    ]);
    expect(result.externalImages).toEqual([
      { reference: 'node:lts', stage: 'development', line: 2 },
    ]);
    expect(result.packageManagers).toEqual([{ tool: 'npm', line: 5 }]);
    expect(result.notes).toEqual([
      'line 1: dropped the `# syntax=docker/dockerfile:1.4` directive (the legacy builder has no frontends)',
      'lines 8-13: removed stage dev-envs (the target development does not need it)',
    ]);
  });

  it('given no target, when planned, then the last stage and what it copies from are kept', () => {
    const result = plan(DEV_ENVS);
    expect(result.target).toBeNull();
    expect(result.stages.map((stage) => stage.name)).toEqual(['development', 'dev-envs']);
    expect(result.externalImages.map((image) => image.reference)).toEqual([
      'node:lts',
      'example/docker-tools',
    ]);
    expect(result.dockerfile).toContain(
      'RUN ["/bin/sh","-c","apt-get update\\napt-get install -y git\\n"]',
    );
  });

  it('given an unused first stage, when the final stage copies --from=1, then the index is renumbered', () => {
    const result = plan(
      file(
        'FROM alpine AS lint',
        'RUN true',
        'FROM golang:1.22 AS build',
        'RUN go build -o /app .',
        'FROM scratch',
        'COPY --from=1 /app /app',
      ),
    );
    expect(result.stages.map((stage) => stage.index)).toEqual([1, 2]);
    expect(result.dockerfile).toBe(
      file(
        'FROM golang:1.22 AS build',
        'RUN go build -o /app .',
        'FROM scratch',
        'COPY --from=0 /app /app',
      ),
    );
    expect(result.externalImages).toEqual([{ reference: 'golang:1.22', stage: 'build', line: 3 }]);
  });

  it('given a RUN --mount=from=<stage>, when planned, then that stage is needed and the mount is a COPY --from', () => {
    const result = plan(
      file(
        'FROM alpine AS assets',
        'RUN mkdir /out',
        'FROM alpine AS unused',
        'FROM busybox',
        'RUN --mount=type=bind,from=assets,source=/out,target=/mnt ls /mnt',
      ),
    );
    expect(result.stages.map((stage) => stage.name)).toEqual(['assets', null]);
    expect(result.dockerfile).toContain('COPY --from=assets ["/out","/mnt"]\nRUN ls /mnt\n');
  });

  it('given an unknown target, when planned, then the refusal lists the stage names', () => {
    const refused = refusal(DEV_ENVS, { target: 'prod' });
    expect(refused.remedy).toContain('development, dev-envs');
  });
});

describe('planLegacyBuild: ARG substitution and platform args', () => {
  it('given global ARG defaults, build args and ${X:-default}, when planned, then external images are substituted and unique', () => {
    const text = file(
      'ARG NODE_VERSION=18',
      'ARG REGISTRY',
      'FROM ${REGISTRY:-docker.io/library}/node:${NODE_VERSION}-slim AS deps',
      'FROM node:${NODE_VERSION}-slim AS build',
      'COPY --from=deps /a /a',
      'FROM ${REGISTRY:-docker.io/library}/node:${NODE_VERSION}-slim',
      'COPY --from=build /a /a',
    );
    expect(plan(text).externalImages.map((image) => image.reference)).toEqual([
      'docker.io/library/node:18-slim',
      'node:18-slim',
    ]);
    expect(
      plan(text, {
        buildArgs: { NODE_VERSION: '20', REGISTRY: 'mirror.local' },
      }).externalImages.map((image) => image.reference),
    ).toEqual(['mirror.local/node:20-slim', 'node:20-slim']);
  });

  it('given FROM --platform=$BUILDPLATFORM and ARG TARGETOS TARGETARCH, when planned, then the flag is dropped and the platform args are build args', () => {
    const result = plan(
      file(
        'FROM --platform=$BUILDPLATFORM golang:1.22 AS build',
        'ARG TARGETOS TARGETARCH',
        'RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build .',
        'FROM scratch',
        'COPY --from=build /src/app /app',
      ),
      { buildArgs: { GOFLAGS: '-mod=vendor' } },
    );
    expect(result.dockerfile.split('\n')[0]).toBe('FROM golang:1.22 AS build');
    expect(result.notes).toContain(
      'line 1: dropped --platform=$BUILDPLATFORM (this engine builds linux/amd64 only)',
    );
    expect(result.buildArgs).toEqual({
      GOFLAGS: '-mod=vendor',
      BUILDPLATFORM: 'linux/amd64',
      TARGETPLATFORM: 'linux/amd64',
      TARGETOS: 'linux',
      TARGETARCH: 'amd64',
      TARGETVARIANT: '',
      BUILDOS: 'linux',
      BUILDARCH: 'amd64',
    });
    expect(result.packageManagers).toEqual([{ tool: 'go', line: 3 }]);
  });

  it('given a FROM that uses an undeclared platform arg, when planned, then the arg is declared before the first FROM', () => {
    const result = plan(file('FROM example/base:${TARGETARCH}', 'RUN true'));
    expect(result.dockerfile).toBe(
      file('ARG TARGETARCH', 'FROM example/base:${TARGETARCH}', 'RUN true'),
    );
    expect(result.externalImages[0]!.reference).toBe('example/base:amd64');
  });

  it('given --from=${STAGE}, when planned, then it is refused as BuildKit refuses it', () => {
    expect(refusal(file('FROM alpine', 'COPY --from=${STAGE} /a /a')).feature).toBe(
      '--from with a variable',
    );
  });
});

describe('planLegacyBuild: RUN', () => {
  it('given a cache mount, when planned, then the mount is dropped with a note', () => {
    const result = plan(file('FROM node:20', 'RUN --mount=type=cache,target=/root/.npm npm ci'));
    expect(result.dockerfile).toBe(file('FROM node:20', 'RUN npm ci'));
    expect(result.notes).toEqual([
      'line 2: dropped --mount=type=cache,target=/root/.npm (a BuildKit cache only speeds up the build; what the step writes there stays in the layer)',
    ]);
  });

  it('given docker init bind mounts, when planned, then each becomes a COPY before the RUN', () => {
    const result = plan(
      file(
        'FROM node:20-alpine',
        'WORKDIR /usr/src/app',
        'RUN --mount=type=bind,source=package.json,target=package.json \\',
        '    --mount=type=bind,source=package-lock.json,target=package-lock.json \\',
        '    --mount=type=cache,target=/root/.npm \\',
        '    npm ci --omit=dev',
        'USER node',
      ),
    );
    expect(result.dockerfile).toBe(
      file(
        'FROM node:20-alpine',
        'WORKDIR /usr/src/app',
        'COPY ["package.json","package.json"]',
        'COPY ["package-lock.json","package-lock.json"]',
        'RUN npm ci --omit=dev',
        'USER node',
      ),
    );
    expect(result.notes[0]).toMatch(
      /^line 3: --mount=type=bind,source=package.json,target=package.json became `COPY \["package.json","package.json"\]` before the RUN \(the files stay in the image/,
    );
  });

  it('given a tmpfs mount and --network=none, when planned, then both are dropped', () => {
    const result = plan(
      file('FROM alpine', 'RUN --network=none --mount=type=tmpfs,target=/tmp make test'),
    );
    expect(result.dockerfile).toBe(file('FROM alpine', 'RUN make test'));
    expect(result.notes).toHaveLength(2);
  });

  it('given a <<- heredoc, when planned, then leading tabs are stripped from the script', () => {
    const result = plan(
      file('FROM alpine', 'RUN <<-EOT', '\techo one', '\t\techo two', '\tEOT', 'RUN echo after'),
    );
    expect(result.dockerfile).toBe(
      file('FROM alpine', 'RUN ["/bin/sh","-c","echo one\\necho two\\n"]', 'RUN echo after'),
    );
  });

  it('given RUN python3 <<EOF, when planned, then the shell reads the heredoc itself', () => {
    const result = plan(file('FROM python:3.12', 'RUN python3 <<"EOF"', 'print("$HOME")', 'EOF'));
    expect(result.dockerfile).toContain(
      'RUN ["/bin/sh","-c","python3 <<\\"EOF\\"\\nprint(\\"$HOME\\")\\nEOF"]',
    );
  });

  it('given two heredocs on one RUN, when planned, then both bodies follow the command in order', () => {
    const result = plan(
      file('FROM alpine', 'RUN cat <<A >/a && cat <<B >/b', 'first', 'A', 'second', 'B'),
    );
    const run = JSON.parse(result.dockerfile.split('\n')[1]!.slice(4)) as string[];
    expect(run).toEqual(['/bin/sh', '-c', 'cat <<A >/a && cat <<B >/b\nfirst\nA\nsecond\nB']);
  });

  it('given a heredoc that starts with a shebang, when planned, then its interpreter runs the script from /dev/pipes', () => {
    const result = plan(
      file('FROM python:3.12', 'RUN <<EOF', '#!/usr/bin/env python3', 'print(1)', 'EOF'),
    );
    const run = JSON.parse(result.dockerfile.split('\n')[1]!.slice(4)) as string[];
    expect(run.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(run[2]).toContain(`exec '/usr/bin/env' 'python3' "$f"`);
    expect(run.slice(3)).toEqual(['sh', '#!/usr/bin/env python3\nprint(1)\n']);
  });

  it('given SHELL ["/bin/bash", "-eo", "pipefail", "-c"], when a heredoc RUN follows, then it runs in that shell', () => {
    const result = plan(
      file(
        'FROM debian',
        'SHELL ["/bin/bash", "-eo", "pipefail", "-c"]',
        'RUN <<EOF',
        'echo ok',
        'EOF',
      ),
    );
    expect(result.dockerfile).toContain('RUN ["/bin/bash","-eo","pipefail","-c","echo ok\\n"]');
  });

  it('given a heredoc script longer than the legacy parser reads, when planned, then it is refused', () => {
    const body = Array.from(
      { length: 2000 },
      (_, i) => `echo line ${i} of a very long generated script`,
    );
    expect(refusal(file('FROM alpine', 'RUN <<EOF', ...body, 'EOF')).feature).toBe(
      'RUN heredoc longer than 60 KiB',
    );
  });

  it.each([
    ['RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci', 'RUN --mount=type=secret'],
    ['RUN --mount=type=ssh git clone git@example.com:a/b.git', 'RUN --mount=type=ssh'],
    ['RUN --security=insecure make', 'RUN --security=insecure'],
  ])('given %s, when planned, then it is refused', (line, feature) => {
    const refused = refusal(file('FROM node:20', line));
    expect(refused).toMatchObject({ line: 2, feature });
  });
});

describe('planLegacyBuild: COPY and ADD', () => {
  it('given COPY --link, when planned, then the flag is dropped and --chown kept', () => {
    const result = plan(file('FROM alpine', 'COPY --link --chown=1000:1000 app /app'));
    expect(result.dockerfile).toBe(file('FROM alpine', 'COPY --chown=1000:1000 app /app'));
  });

  it('given COPY --chmod=755, when planned, then the file comes from the side image with that mode', () => {
    const result = plan(
      file(
        'FROM alpine AS base',
        'FROM base',
        'COPY --chmod=755 ./docker/entrypoint.sh /usr/local/bin/',
      ),
    );
    expect(result.dockerfile).toBe(
      file(
        'ARG PRODSPRINT_SIDE_IMAGE=prodsprint-side-image-not-built',
        'FROM ${PRODSPRINT_SIDE_IMAGE} AS prodsprint-side',
        'FROM alpine AS base',
        'FROM base',
        'COPY --from=prodsprint-side ["/chmod/1/docker/entrypoint.sh","/usr/local/bin/"]',
      ),
    );
    expect(result.sideFiles).toEqual([
      { kind: 'context', path: 'chmod/1', sources: ['docker/entrypoint.sh'], chmod: '755' },
    ]);
    expect(result.externalImages.map((image) => image.reference)).toEqual(['alpine']);
  });

  it('given COPY --chmod=644, when planned, then it is refused with the modes that work', () => {
    expect(refusal(file('FROM alpine', 'COPY --chmod=644 conf /etc/app/')).remedy).toMatch(
      /--chmod=755 or a symbolic mode/,
    );
  });

  it('given a COPY heredoc with a quoted delimiter, when planned, then its text is a side file of mode 0644', () => {
    const result = plan(
      file(
        'FROM nginx',
        'COPY <<"EOF" /etc/nginx/conf.d/app.conf',
        'server { listen $PORT; }',
        'EOF',
      ),
    );
    expect(result.sideFiles).toEqual([
      {
        kind: 'content',
        path: 'content/1/EOF',
        content: 'server { listen $PORT; }\n',
        mode: 0o644,
      },
    ]);
    expect(result.dockerfile).toContain(
      'COPY --from=prodsprint-side ["/content/1/EOF","/etc/nginx/conf.d/app.conf"]',
    );
  });

  it('given a COPY heredoc BuildKit would expand, when planned, then it is refused', () => {
    expect(
      refusal(file('FROM nginx', 'COPY <<EOF /etc/app.conf', 'port=$PORT', 'EOF')).feature,
    ).toBe('COPY heredoc with variables');
  });

  it.each([
    ['ADD https://example.com/tool.tgz /opt/', 'ADD <http(s) URL>'],
    ['ADD git@github.com:example/repo.git /src', 'ADD <git URL>'],
  ])('given %s, when planned, then the download is refused', (line, feature) => {
    expect(refusal(file('FROM alpine', line))).toMatchObject({ line: 2, feature });
  });
});

describe('planLegacyBuild: injected args', () => {
  it('given injectArgs, when planned, then ARG follows every kept FROM and ENV is untouched', () => {
    const result = plan(
      file(
        'FROM node:20 AS build',
        'ARG NPM_CONFIG_REGISTRY=https://registry.example',
        'RUN npm ci',
        'FROM node:20-slim',
        'COPY --from=build /app /app',
        'ENV NODE_ENV=production',
      ),
      { injectArgs: ['NPM_CONFIG_REGISTRY', 'PIP_INDEX_URL'] },
    );
    expect(result.dockerfile).toBe(
      file(
        'FROM node:20 AS build',
        'ARG NPM_CONFIG_REGISTRY',
        'ARG PIP_INDEX_URL',
        'ARG NPM_CONFIG_REGISTRY=https://registry.example',
        'RUN npm ci',
        'FROM node:20-slim',
        'ARG NPM_CONFIG_REGISTRY',
        'ARG PIP_INDEX_URL',
        'COPY --from=build /app /app',
        'ENV NODE_ENV=production',
      ),
    );
  });
});

describe('planLegacyBuild: parser', () => {
  it('given # escape=` and backtick continuations with comments inside, when planned, then the escape directive is kept', () => {
    const result = plan(
      file('# escape=`', 'FROM mcr.example/windows', 'RUN echo a `', '# a comment', '    echo b'),
    );
    expect(result.dockerfile).toBe(
      file('# escape=`', 'FROM mcr.example/windows', 'RUN echo a `', '# a comment', '    echo b'),
    );
  });

  it('given an unterminated heredoc, when planned, then it is a syntax refusal naming the line', () => {
    expect(refusal(file('FROM alpine', 'RUN <<EOF', 'echo'))).toMatchObject({
      line: 2,
      feature: 'Dockerfile syntax',
    });
  });

  it('given an unknown instruction, when planned, then it is refused', () => {
    expect(refusal(file('FROM alpine', 'RUNN echo'))).toMatchObject({
      line: 2,
      feature: 'instruction RUNN',
    });
  });

  it('given a herestring (<<<), when planned, then it is not a heredoc', () => {
    expect(plan(file('FROM alpine', 'RUN cat <<< "hi"')).dockerfile).toBe(
      file('FROM alpine', 'RUN cat <<< "hi"'),
    );
  });
});

describe('planLegacyBuild: package managers', () => {
  it('given RUN steps calling package tools, when planned, then each is listed with its line', () => {
    const result = plan(
      file(
        'FROM python:3.12',
        'RUN apt-get update && apt-get install -y libpq-dev',
        'RUN python -m pip install -r requirements.txt; corepack enable',
        'RUN PIP_NO_CACHE_DIR=1 pip3.12 install uv && uv sync',
        'RUN ./mvnw -q package && ./gradlew build',
        'RUN echo npm is not called here',
      ),
    );
    expect(result.packageManagers).toEqual([
      { tool: 'apt', line: 2 },
      { tool: 'pip', line: 3 },
      { tool: 'corepack', line: 3 },
      { tool: 'pip', line: 4 },
      { tool: 'uv', line: 4 },
      { tool: 'mvn', line: 5 },
      { tool: 'gradle', line: 5 },
    ]);
  });
});
