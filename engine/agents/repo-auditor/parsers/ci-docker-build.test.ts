import { describe, expect, it } from 'vitest';
import { parseCiBuilds, scriptBuilds } from './ci-docker-build.ts';

describe('parseCiBuilds', () => {
  it('given a workflow run step, when it calls docker build -f X ctx, then context, file, target and known args are read with their line', () => {
    const workflow = `on: push
jobs:
  image:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: build
        run: |
          echo building
          docker build -f services/api/Dockerfile \\
            --target runtime --build-arg NODE_ENV=production --build-arg SHA=$GITHUB_SHA \\
            -t api:ci .
`;
    expect(parseCiBuilds('.github/workflows/image.yml', workflow)).toEqual([
      {
        context: '.',
        dockerfile: 'services/api/Dockerfile',
        target: 'runtime',
        args: { NODE_ENV: 'production' },
        evidence: { file: '.github/workflows/image.yml', line: 10 },
      },
    ]);
  });

  it('given working-directory, when docker build uses relative paths, then they are read from it', () => {
    const workflow =
      'jobs:\n  b:\n    defaults:\n      run:\n        working-directory: web\n    steps:\n      - run: docker buildx build --push -t x .\n';
    expect(parseCiBuilds('.github/workflows/b.yml', workflow)).toMatchObject([
      { context: 'web', dockerfile: 'web/Dockerfile', target: null },
    ]);
  });

  it('given docker/build-push-action, when it names context and file, then they are used', () => {
    const workflow = `jobs:
  push:
    steps:
      - uses: docker/build-push-action@v6
        with:
          context: ./backend
          file: ./backend/Dockerfile.prod
          build-args: |
            PORT=8080
`;
    expect(parseCiBuilds('.github/workflows/p.yml', workflow)).toEqual([
      {
        context: 'backend',
        dockerfile: 'backend/Dockerfile.prod',
        target: null,
        args: { PORT: '8080' },
        evidence: { file: '.github/workflows/p.yml', line: 4 },
      },
    ]);
  });

  it('given a GitLab job, when its script builds from $CI_PROJECT_DIR, then the root is the context', () => {
    const pipeline =
      'build:\n  stage: build\n  script:\n    - docker build -t $CI_REGISTRY_IMAGE -f "$CI_PROJECT_DIR/app/Dockerfile" "$CI_PROJECT_DIR"\n';
    expect(parseCiBuilds('.gitlab-ci.yml', pipeline)).toEqual([
      {
        context: '.',
        dockerfile: 'app/Dockerfile',
        target: null,
        args: {},
        evidence: { file: '.gitlab-ci.yml', line: 4 },
      },
    ]);
  });
});

describe('scriptBuilds', () => {
  it('given a script that changes directory first, or variable paths, when read, then nothing is guessed', () => {
    expect(scriptBuilds('cd app && docker build .', '.')).toEqual([]);
    expect(scriptBuilds('docker build $CONTEXT', '.')).toEqual([]);
    expect(scriptBuilds('docker build -t a -t b x y', '.')).toEqual([]);
    expect(scriptBuilds('docker compose build', '.')).toEqual([]);
  });
});
