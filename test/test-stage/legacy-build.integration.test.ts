import type Docker from 'dockerode';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acquireDockerEngine,
  dockerUnavailableReason,
  type DockerEngine,
} from '../support/infra/docker-engine.ts';
import { ensureRuntimeBaseImage } from '../../engine/tools/base-images/index.ts';
import { BuildFailedError, buildServiceImage } from '../../engine/agents/build/build-image.ts';
import { planLegacyBuild, type PlanOptions } from '../../engine/agents/build/dockerfile/plan.ts';
import { ensureShellImage, SHELL_IMAGE } from './shell-base-image.ts';

// Repositories' own Dockerfiles (BuildKit syntax, multi-stage, subfolders, .dockerignore)
// translated by planLegacyBuild and built on the real dockerd 20.10 legacy builder, offline.
const skipReason = dockerUnavailableReason();
if (skipReason && process.env.CI)
  throw new Error(`CI must run the legacy build tests, but: ${skipReason}`);
if (skipReason) console.warn(`skipping legacy build tests: ${skipReason}`);

const TAG = `local/prodsprint-legacy-build-test-${process.pid}`;
const NETWORK = `prodsprint-build-test-${process.pid}`;
let engine: DockerEngine;
const tags: string[] = [];
const repos: string[] = [];

beforeAll(async () => {
  if (skipReason) return;
  engine = await acquireDockerEngine();
  await ensureShellImage(engine.docker);
});
afterAll(async () => {
  if (skipReason) return;
  for (const tag of tags)
    await engine.docker
      .getImage(tag)
      .remove({ force: true })
      .catch(() => undefined);
  for (const repo of repos) rmSync(repo, { recursive: true, force: true });
  await engine.release();
});

/** A throwaway repository with these files. */
function repository(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'prodsprint-legacy-repo-'));
  repos.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** Plans and builds `dockerfile` of `root`; returns the image tag. */
async function build(
  root: string,
  dockerfile: string,
  options: PlanOptions & { networkMode?: string } = {},
): Promise<string> {
  const tag = `${TAG}:${tags.length + 1}`;
  tags.push(tag);
  const plan = planLegacyBuild(readFileSync(join(root, dockerfile), 'utf8'), options);
  await buildServiceImage({
    docker: engine.docker,
    contextDir: root,
    dockerfile,
    tag,
    plan,
    networkMode: options.networkMode,
  });
  return tag;
}

/** Runs `command` in a container of `image` and returns what it printed (exit code checked). */
async function run(image: string, command: string[]): Promise<string> {
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const [result, container] = (await engine.docker.run(image, command, output, { Tty: true })) as [
    { StatusCode: number },
    Docker.Container,
  ];
  await container.remove({ force: true });
  if (result.StatusCode !== 0)
    throw new Error(`${command.join(' ')} exited ${result.StatusCode}: ${text}`);
  return text.replace(/\r\n/g, '\n');
}

describe.skipIf(skipReason !== undefined)('legacy build of real Dockerfiles', () => {
  it('given a Dockerfile in a subfolder, when built with the repository root as context, then it copies root files', async () => {
    const root = repository({
      'package.json': '{"name":"monorepo"}\n',
      'shared/lib.txt': 'shared code\n',
      'services/api/Dockerfile': `FROM ${SHELL_IMAGE}\nCOPY package.json shared/lib.txt /app/\n`,
    });
    const image = await build(root, 'services/api/Dockerfile');
    expect(await run(image, ['cat', '/app/package.json', '/app/lib.txt'])).toBe(
      '{"name":"monorepo"}\nshared code\n',
    );
  });

  it('given a target that is not the last stage, when a later stage has heredocs and an unavailable COPY --from image, then that stage is pruned', async () => {
    const root = repository({
      Dockerfile: [
        '# syntax=docker/dockerfile:1.4',
        `FROM ${SHELL_IMAGE} AS development`,
        'RUN echo development > /stage.txt',
        'FROM development AS dev-envs',
        'RUN <<EOF',
        'echo dev-envs > /stage.txt',
        'EOF',
        'COPY --from=prodsprint-absent/docker-tools:never / /',
        '',
      ].join('\n'),
    });
    const image = await build(root, 'Dockerfile', { target: 'development' });
    expect(await run(image, ['cat', '/stage.txt'])).toBe('development\n');
  });

  it('given heredoc RUNs (plain, <<-, several on one line, a shebang), when built, then each runs exactly', async () => {
    const root = repository({
      Dockerfile: [
        `FROM ${SHELL_IMAGE}`,
        'RUN <<EOF',
        'set -e',
        `printf '%s|' "it's" "\\$HOME is $HOME" > /plain.txt`,
        'echo "# not a comment" >> /plain.txt',
        'EOF',
        'RUN <<-EOT',
        '\techo "tabs stripped" > /chomp.txt',
        '\tEOT',
        'RUN cat <<A > /a.txt && cat <<"B" > /b.txt',
        'first $HOME',
        'A',
        'second $HOME',
        'B',
        'RUN <<EOF',
        '#!/bin/sh -e',
        'echo "ran as $0" > /shebang.txt',
        'EOF',
        '',
      ].join('\n'),
    });
    const image = await build(root, 'Dockerfile');
    expect(await run(image, ['cat', '/plain.txt'])).toBe("it's|$HOME is /root|# not a comment\n");
    expect(await run(image, ['cat', '/chomp.txt'])).toBe('tabs stripped\n');
    expect(await run(image, ['cat', '/a.txt', '/b.txt'])).toBe('first /root\nsecond $HOME\n');
    expect(await run(image, ['cat', '/shebang.txt'])).toBe('ran as /dev/pipes/EOF\n');
  });

  it('given a cache mount and a bind mount, when built, then the cache is dropped and the bound file is copied in', async () => {
    const root = repository({
      'config/settings.txt': 'mode=test\n',
      Dockerfile: [
        `FROM ${SHELL_IMAGE}`,
        'WORKDIR /work',
        'RUN --mount=type=cache,target=/root/.cache \\',
        '    --mount=type=bind,source=config/settings.txt,target=settings.txt \\',
        '    mkdir -p /root/.cache && cat settings.txt > /from-mount.txt',
        '',
      ].join('\n'),
    });
    const image = await build(root, 'Dockerfile');
    expect(await run(image, ['cat', '/from-mount.txt', '/work/settings.txt'])).toBe(
      'mode=test\nmode=test\n',
    );
  });

  it('given a .dockerignore, when built, then excluded files are not in the image and exceptions are', async () => {
    const root = repository({
      '.dockerignore': 'secret.txt\nlogs\n!logs/keep.log\nDockerfile\n',
      'secret.txt': 'top secret\n',
      'app.txt': 'app\n',
      'logs/debug.log': 'debug\n',
      'logs/keep.log': 'keep\n',
      Dockerfile: `FROM ${SHELL_IMAGE}\nCOPY . /ctx\nRUN --mount=type=cache,target=/x true\n`,
    });
    const image = await build(root, 'Dockerfile');
    const listing = await run(image, ['sh', '-c', 'cd /ctx && ls -A . logs']);
    expect(listing.split(/\s+/).filter(Boolean).sort()).toEqual(
      ['.dockerignore', '.:', 'app.txt', 'keep.log', 'logs', 'logs:'].sort(),
    );
  });

  it('given COPY --chmod=755 and a COPY heredoc, when built, then the side image supplies them with BuildKit modes', async () => {
    const root = repository({
      'bin/start.sh': '#!/bin/sh\necho started\n',
      Dockerfile: [
        `FROM ${SHELL_IMAGE}`,
        'COPY --chmod=755 bin/start.sh /usr/local/bin/start',
        'COPY <<"EOF" /etc/app.conf',
        'listen=$PORT',
        'EOF',
        '',
      ].join('\n'),
    });
    const image = await build(root, 'Dockerfile');
    expect(await run(image, ['stat', '-c', '%a %n', '/usr/local/bin/start', '/etc/app.conf'])).toBe(
      '755 /usr/local/bin/start\n644 /etc/app.conf\n',
    );
    expect(await run(image, ['/usr/local/bin/start'])).toBe('started\n');
    expect(await run(image, ['cat', '/etc/app.conf'])).toBe('listen=$PORT\n');
  });

  it('given an install step without network, when the build fails, then the cause names the package tool', async () => {
    const root = repository({
      Dockerfile: [
        `FROM ${SHELL_IMAGE}`,
        'COPY --chmod=755 <<"EOF" /bin/npm',
        '#!/bin/sh',
        'echo "npm ERR! code ENOTFOUND" >&2',
        'echo "npm ERR! network request to https://registry.npmjs.org/express failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org" >&2',
        'exit 1',
        'EOF',
        'RUN npm ci',
        '',
      ].join('\n'),
    });
    const error = await build(root, 'Dockerfile').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BuildFailedError);
    const failed = error as BuildFailedError;
    expect(failed.step).toMatch(/RUN npm ci$/);
    // The host it asked is named too, so a fetch from outside the mirror can be told apart.
    expect(failed.cause).toEqual({ kind: 'network', tool: 'npm', host: 'registry.npmjs.org' });
    expect(failed.remedy).toMatch(/mirror for npm/);
  });

  describe('on a user-defined build network', () => {
    let server: Server;
    let gateway: string;
    let network: Docker.Network;

    beforeAll(async () => {
      // Docker picks a free subnet; the server listens on its gateway, as the relay does.
      network = await engine.docker.createNetwork({ Name: NETWORK, Driver: 'bridge' });
      const config = (await network.inspect()).IPAM?.Config?.[0];
      if (!config?.Gateway) throw new Error(`network ${NETWORK} has no gateway`);
      gateway = config.Gateway;
      server = createServer((_request, response) => response.end('hello from the relay\n'));
      await new Promise<void>((resolve) => server.listen(0, gateway, resolve));
      await ensureRuntimeBaseImage(engine.docker, 'node');
    });
    afterAll(async () => {
      await new Promise((resolve) => server?.close(resolve));
      await network?.remove().catch(() => undefined);
    });

    it('given networkMode and an injected arg, when a RUN step calls the gateway, then it reaches the server and the arg stays out of ENV', async () => {
      const port = (server.address() as { port: number }).port;
      const root = repository({
        Dockerfile: [
          'FROM local/node:base',
          'RUN ["node", "-e", "fetch(process.env.RELAY_URL).then((r) => r.text()).then((t) => require(\'fs\').writeFileSync(\'/app/relay.txt\', t))"]',
          '',
        ].join('\n'),
      });
      const tag = await build(root, 'Dockerfile', {
        networkMode: NETWORK,
        injectArgs: ['RELAY_URL'],
        buildArgs: { RELAY_URL: `http://${gateway}:${port}/` },
      });
      const info = await engine.docker.getImage(tag).inspect();
      expect((info.Config.Env ?? []).some((entry) => entry.startsWith('RELAY_URL='))).toBe(false);
      const output = await run(tag, [
        '-e',
        'process.stdout.write(require("fs").readFileSync("/app/relay.txt", "utf8"))',
      ]);
      expect(output).toBe('hello from the relay\n');
    });
  });
});
