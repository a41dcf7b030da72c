import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acquireDockerEngine,
  dockerUnavailableReason,
  type DockerEngine,
} from '../support/infra/docker-engine.ts';
import {
  registryUnavailable,
  startRegistry,
  type RegistryServer,
} from '../security/registry-server.ts';
import { relabelImage } from '../../engine/tools/base-images/image-relabel.ts';
import { publishStandIns } from '../../engine/tools/base-images/publish.ts';
import { resolveBaseImage } from '../../engine/tools/base-images/resolve-base-image.ts';
import { HASH_LABEL } from '../../engine/tools/base-images/rootfs.ts';
import {
  readStandInLabels,
  STAND_IN_LABELS,
} from '../../engine/tools/base-images/stand-in-image.ts';
import { unframeDockerLogs } from '../../engine/tools/docker-logs.ts';
import { OfflineInputMissingError } from '../../engine/system/offline-input.ts';

// Issue 14: FROM images resolved offline — stand-ins built from this machine's Debian packages
// and run for real, and resolution through a real Distribution registry used as the mirror.
// Stand-ins stay cached on the engine under their requested names (later runs reuse them by
// input hash); tags only this test needs are removed.
const skipReason = dockerUnavailableReason() ?? registryUnavailable();
if (skipReason && process.env.CI)
  throw new Error(`CI must run the stand-in base image tests, but: ${skipReason}`);
if (skipReason) console.warn(`skipping stand-in base image tests: ${skipReason}`);

const SLOW = 300_000;
const LABEL = 'prodsprint.stand-in-images-test';
const id = randomBytes(4).toString('hex');
const network = `prodsprint-stand-ins-${id}`;
let engine: DockerEngine;
let docker: Docker;
const testTags: string[] = [];
const progress: string[] = [];
const onProgress = (line: string) => progress.push(line);

beforeAll(async () => {
  if (skipReason) return;
  engine = await acquireDockerEngine();
  docker = engine.docker;
  await docker.createNetwork({ Name: network, Internal: true, Labels: { [LABEL]: id } });
});
afterAll(async () => {
  if (skipReason) return;
  for (const tag of testTags)
    await docker
      .getImage(tag)
      .remove()
      .catch(() => undefined);
  await docker
    .getNetwork(network)
    .remove()
    .catch(() => undefined);
  await engine.release();
});

interface RunOptions {
  user?: string;
  env?: string[];
  binds?: string[];
  name?: string;
  detach?: boolean;
}

/** Runs `cmd` in `image` (its own entrypoint) on the test network; exit code and output. */
async function run(image: string, cmd: string[], options: RunOptions = {}) {
  const container = await docker.createContainer({
    Image: image,
    Cmd: cmd,
    ...(options.name ? { name: options.name } : {}),
    ...(options.user ? { User: options.user } : {}),
    ...(options.env ? { Env: options.env } : {}),
    Labels: { [LABEL]: id },
    HostConfig: { NetworkMode: network, ...(options.binds ? { Binds: options.binds } : {}) },
  });
  await container.start();
  if (options.detach) return { container, code: -1, logs: '' };
  try {
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = unframeDockerLogs(
      (await container.logs({ stdout: true, stderr: true })) as Buffer,
    );
    return { container, code: StatusCode, logs };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

async function labelsOf(image: string) {
  return (await docker.getImage(image).inspect()).Config.Labels ?? {};
}

describe.skipIf(skipReason !== undefined)('stand-in base images', () => {
  it(
    'given debian:bookworm-slim, when resolved twice, then a Debian 12 stand-in with a working apt and dpkg is built once',
    async () => {
      const first = await resolveBaseImage(docker, 'debian:bookworm-slim', { onProgress });
      expect(first.image).toBe('debian:bookworm-slim');
      expect(['stand-in', 'engine']).toContain(first.source);
      expect(first.standIn?.actual).toMatch(/^Debian 12\.\d+ \(bookworm\)/);
      expect(first.standIn?.warnings).toEqual([]);
      const labels = await labelsOf(first.image);
      expect(labels[STAND_IN_LABELS.for]).toBe('docker.io/library/debian:bookworm-slim');
      expect(labels[HASH_LABEL]).toMatch(/^[0-9a-f]{64}$/);

      const again = await resolveBaseImage(docker, 'debian:bookworm-slim');
      expect(again).toMatchObject({ source: 'engine', imageId: first.imageId });

      const { code, logs } = await run(first.image, [
        'sh',
        '-c',
        'cat /etc/debian_version && apt-get --version && dpkg -s coreutils && apt-get check && id -un',
      ]);
      expect(logs).toMatch(/^12\.\d+/);
      expect(logs).toMatch(/apt 2\.6\.\d+ \(amd64\)/);
      expect(logs).toContain('Package: coreutils\nEssential: yes\nStatus: install ok installed');
      expect(logs).toMatch(/root\s*$/);
      expect(code).toBe(0);
    },
    SLOW,
  );

  it(
    'given node:20-slim, when resolved and run, then node, npm and yarn answer and USER node works',
    async () => {
      const resolution = await resolveBaseImage(docker, 'node:20-slim', { onProgress });
      expect(resolution.standIn?.actual).toMatch(
        /^Node \d+\.\d+\.\d+, npm 10\.9\.\d+, yarn 1\.22\.22.* on Debian 12/,
      );
      const actualMajor = Number(/^Node (\d+)/.exec(resolution.standIn?.actual ?? '')?.[1]);
      expect(resolution.standIn?.warnings.some((line) => line.includes('major differs'))).toBe(
        actualMajor !== 20,
      );
      // Every container copies the whole image under vfs: one run checks the tools and chown.
      const tools = await run(resolution.image, [
        'sh',
        '-c',
        'node --version; npm --version; yarn --version; npx --version; mkdir -p /srv/app && chown node:node /srv/app && stat -c %U:%G /srv/app',
      ]);
      expect(tools.logs).toMatch(
        /^v\d+\.\d+\.\d+\n10\.9\.\d+\n1\.22\.22\n10\.9\.\d+\nnode:node\n$/,
      );
      expect(tools.code).toBe(0);

      // Real Dockerfiles switch to the image's own unprivileged user and chown to it.
      const asNode = await run(
        resolution.image,
        ['sh', '-c', 'id && echo "$HOME" && cd && npm init -y >/dev/null && ls'],
        { user: 'node' },
      );
      expect(asNode.logs).toContain('uid=1000(node) gid=1000(node)');
      expect(asNode.logs).toContain('/home/node\npackage.json');
      expect(asNode.code).toBe(0);

      // The official entrypoint runs a bare script or option with node.
      const entrypoint = await run(resolution.image, ['-e', 'console.log(1 + 1)']);
      expect(entrypoint.logs.trim()).toBe('2');

      // Pinned by a digest nothing here has: the same stand-in, named by the digest, warned.
      const digest = `sha256:${'5e'.repeat(32)}`;
      testTags.push(`node:sha256-${'5e'.repeat(32)}`);
      const pinned = await resolveBaseImage(docker, `node:20-slim@${digest}`);
      expect(pinned).toMatchObject({
        image: `node:sha256-${'5e'.repeat(32)}`,
        source: 'stand-in',
      });
      expect(pinned.standIn?.warnings.at(-1)).toMatch(/digest does not match/);
      expect((await labelsOf(pinned.image))[HASH_LABEL]).toBe(
        (await labelsOf(resolution.image))[HASH_LABEL],
      );
    },
    SLOW,
  );

  it(
    'given python:3.12-slim, when resolved and run, then pip works system-wide and venv creates environments',
    async () => {
      const resolution = await resolveBaseImage(docker, 'python:3.12-slim', { onProgress });
      expect(resolution.standIn?.warnings).toEqual([
        expect.stringMatching(/^Python 3\.12 requested: Python 3\.11\.\d+ stands in/),
      ]);
      const { code, logs } = await run(resolution.image, [
        'sh',
        '-c',
        [
          'pip --version',
          'python --version',
          'python -m venv /tmp/v',
          '/tmp/v/bin/python -c "import sys; print(sys.prefix)"',
          'test ! -e /usr/lib/python3.11/EXTERNALLY-MANAGED && echo pip-may-install',
          'echo "$LANG"',
        ].join(' && '),
      ]);
      expect(logs).toMatch(/^pip 23\.\d+\.\d+ from \/usr\/lib\/python3\/dist-packages\/pip/);
      expect(logs).toMatch(/Python 3\.11\.\d+\n\/tmp\/v\npip-may-install\nC\.UTF-8\n$/);
      expect(code).toBe(0);
    },
    SLOW,
  );

  it(
    'given nginx:alpine, when resolved and run with a template, then it serves a file and the alpine substitution is flagged',
    async () => {
      const resolution = await resolveBaseImage(docker, 'nginx:alpine', { onProgress });
      expect(resolution.standIn).toMatchObject({
        variantChanged: true,
        missingPackageManagers: ['apk'],
      });
      expect(resolution.standIn?.warnings).toContain(
        'alpine requested: Debian 12 stands in (glibc, apt; no apk)',
      );
      // @types/dockerode's image config omits StopSignal, which the daemon reports.
      const config = (await docker.getImage(resolution.image).inspect()).Config as {
        StopSignal?: string;
      };
      expect(config.StopSignal).toBe('SIGQUIT');

      const site = mkdtempSync(join(tmpdir(), 'stand-in-nginx-'));
      try {
        // nginx's workers run as the image's nginx user: mkdtemp's 0700 would lock them out.
        chmodSync(site, 0o755);
        writeFileSync(join(site, 'hello.txt'), 'served by the stand-in\n');
        // The official image's templates: env vars substituted into conf.d at start.
        writeFileSync(
          join(site, 'site.conf.template'),
          'server { listen ${APP_PORT}; location / { root /srv/site; } }\n',
        );
        const server = `stand-in-nginx-${id}`;
        const { container } = await run(resolution.image, ['nginx', '-g', 'daemon off;'], {
          name: server,
          env: ['APP_PORT=8080'],
          binds: [
            `${site}:/srv/site:ro`,
            `${site}/site.conf.template:/etc/nginx/templates/site.conf.template:ro`,
          ],
          detach: true,
        });
        try {
          const node = (await resolveBaseImage(docker, 'node:20-slim')).image;
          const script = `const get = (p) => fetch('http://${server}' + p).then(async (r) => r.status + ' ' + (await r.text()).trim());
            for (let i = 0; i < 50; i++) { try { console.log(await get(':8080/hello.txt')); console.log((await get('/')).slice(0, 3)); process.exit(0); } catch { await new Promise((r) => setTimeout(r, 200)); } }
            process.exit(1);`;
          const client = await run(node, ['node', '--input-type=module', '-e', script]);
          expect(client.logs).toBe('200 served by the stand-in\n200\n');
          expect(client.code).toBe(0);
          const logs = unframeDockerLogs(
            (await container.logs({ stdout: true, stderr: true })) as Buffer,
          );
          expect(logs).toContain('"GET /hello.txt HTTP/1.1" 200');
        } finally {
          await container.remove({ force: true }).catch(() => undefined);
        }
      } finally {
        rmSync(site, { recursive: true, force: true });
      }
    },
    SLOW,
  );

  it(
    'given a stand-in whose input hash is stale, when resolved, then it is rebuilt before use',
    async () => {
      const fresh = await resolveBaseImage(docker, 'debian:bookworm-slim');
      testTags.push('debian:bookworm');
      const staleId = await relabelImage(
        docker,
        fresh.imageId,
        { repo: 'debian', tag: 'bookworm' },
        {
          [STAND_IN_LABELS.for]: 'docker.io/library/debian:bookworm',
          [HASH_LABEL]: '0'.repeat(64),
        },
        'a stand-in built from older inputs',
      );
      const resolution = await resolveBaseImage(docker, 'debian:bookworm', { onProgress });
      expect(resolution.source).toBe('stand-in');
      expect(resolution.imageId).not.toBe(staleId);
      expect((await labelsOf('debian:bookworm'))[HASH_LABEL]).toBe(
        (await labelsOf('debian:bookworm-slim'))[HASH_LABEL],
      );
      expect(progress).toContain(
        'debian:bookworm is a stand-in built from older inputs: rebuilding it',
      );
    },
    SLOW,
  );

  it(
    "given node:20-alpine, when a Dockerfile's Alpine user commands run, then they work with BusyBox's flags and apk is reported missing",
    async () => {
      const resolved = await resolveBaseImage(docker, 'node:20-alpine', { onProgress });
      expect(resolved.standIn).toMatchObject({
        variantChanged: true,
        missingPackageManagers: ['apk'],
        actual: expect.stringContaining("Alpine's adduser/addgroup flags"),
      });
      const { code, logs } = await run(resolved.image, [
        'sh',
        '-c',
        [
          'addgroup -S app && adduser -S api -G app && id api',
          'addgroup -g 1500 web && adduser -D -u 1500 -G web -h /srv web && getent passwd web',
          'adduser -SDH worker && addgroup worker web && id worker',
        ].join(' && '),
      ]);
      expect(logs).toMatch(/uid=\d+\(api\) gid=\d+\(app\)/);
      expect(logs).toContain('web:x:1500:1500::/srv:/bin/sh');
      expect(logs).toMatch(
        /uid=\d+\(worker\) gid=65534\(nogroup\) groups=65534\(nogroup\),1500\(web\)/,
      );
      expect(code).toBe(0);
    },
    SLOW,
  );

  it(
    'given busybox:1.36.1-musl, when a distroless image copies its binary as a health probe (the generated Go and Java Dockerfiles do), then the probe runs there',
    async () => {
      const probe = await resolveBaseImage(docker, 'busybox:1.36.1-musl', { onProgress });
      expect(probe.standIn?.actual).toMatch(
        /^BusyBox 1\.\d+\.\d+ \(Debian busybox-static, statically linked\)$/,
      );
      expect(probe.standIn?.warnings.join('\n')).toMatch(/BusyBox 1\.36\.1 requested/);
      expect(probe.standIn?.warnings.join('\n')).toMatch(/musl build requested/);
      const applets = await run(probe.image, [
        'sh',
        '-c',
        'wget --help 2>&1 | head -1; echo applets-ok',
      ]);
      expect(applets.logs).toContain('applets-ok');
      expect(applets.code).toBe(0);

      await resolveBaseImage(docker, 'gcr.io/distroless/static-debian12:nonroot', { onProgress });
      const dir = mkdtempSync(join(tmpdir(), 'prodsprint-busybox-probe-'));
      const tag = `prodsprint-test/busybox-probe:${id}`;
      testTags.push(tag);
      try {
        writeFileSync(
          join(dir, 'Dockerfile'),
          [
            'FROM busybox:1.36.1-musl AS probe',
            'FROM gcr.io/distroless/static-debian12:nonroot',
            'COPY --from=probe /bin/busybox /usr/local/bin/busybox',
            '',
          ].join('\n'),
        );
        const stream = await docker.buildImage(
          { context: dir, src: ['Dockerfile'] },
          { t: tag, rm: true },
        );
        const built = await new Promise<Array<{ error?: string }>>((done, fail) =>
          docker.modem.followProgress(stream, (error, output) =>
            error ? fail(error) : done(output),
          ),
        );
        expect(built.find((line) => line.error)).toBeUndefined();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const { code, logs } = await run(tag, [
        '/usr/local/bin/busybox',
        'sh',
        '-c',
        'echo probe-ok; id -u',
      ]);
      expect(logs).toContain('probe-ok\n65532');
      expect(code).toBe(0);
    },
    SLOW,
  );

  it('given ubuntu:22.04 and no mirror, when resolved, then it is refused with a remedy naming the image', async () => {
    const error = await resolveBaseImage(docker, 'ubuntu:22.04').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OfflineInputMissingError);
    const missing = error as OfflineInputMissingError;
    expect(missing.input).toEqual({ kind: 'base-image', name: 'ubuntu:22.04' });
    expect(missing.detail).toContain('not Ubuntu ones');
    expect(missing.remedy).toContain('<mirror>/library/ubuntu:22.04');
    expect(missing.remedy).toContain('prodsprint config set registry.mirror <url>');
    expect(missing.remedy).toContain('docker load -i <file>');
  });

  describe('through a registry mirror', () => {
    let registry: RegistryServer;
    beforeAll(async () => {
      registry = await startRegistry();
    });
    afterAll(() => registry?.stop());

    it(
      'given a stand-in published to the mirror and gone from the engine, when resolved with the mirror, then it is pulled with its stand-in labels',
      async () => {
        const [published] = await publishStandIns(
          docker,
          registry.url,
          ['debian:12-slim'],
          onProgress,
        );
        const host = registry.url.replace('http://', '');
        expect(published).toMatchObject({
          reference: 'debian:12-slim',
          pushedAs: `${host}/library/debian:12-slim`,
          digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
          actual: expect.stringMatching(/^Debian 12/),
          warnings: [],
        });
        testTags.push('debian:12-slim', `${host}/library/debian:12-slim`);
        await docker.getImage('debian:12-slim').remove();

        const resolution = await resolveBaseImage(docker, 'debian:12-slim', {
          mirror: { url: registry.url },
          onProgress,
        });
        expect(resolution).toMatchObject({
          image: 'debian:12-slim',
          source: 'mirror',
          mirror: {
            url: registry.url,
            reference: `${host}/library/debian:12-slim`,
            digest: published?.digest,
          },
          standIn: { actual: published?.actual, warnings: [] },
        });
        const labels = readStandInLabels(await labelsOf('debian:12-slim'));
        expect(labels?.for).toBe('docker.io/library/debian:12-slim');

        // Pinned by the digest the mirror holds: pulled by digest, named by it on the engine.
        const pinned = await resolveBaseImage(docker, `debian:12-slim@${published?.digest}`, {
          mirror: { url: registry.url },
        });
        const digestTag = `debian:${published?.digest.replace(':', '-')}`;
        testTags.push(digestTag, `${host}/library/debian@${published?.digest}`);
        expect(pinned).toMatchObject({
          image: digestTag,
          source: 'mirror',
          imageId: resolution.imageId,
          mirror: { digest: published?.digest },
        });
      },
      SLOW,
    );

    it('given an image neither the mirror nor this machine has, when resolved, then the remedy names the mirror path', async () => {
      const error = await resolveBaseImage(docker, 'mcr.microsoft.com/dotnet/sdk:8.0', {
        mirror: { url: registry.url },
      }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OfflineInputMissingError);
      const missing = error as OfflineInputMissingError;
      const path = `${registry.url.replace('http://', '')}/mcr.microsoft.com/dotnet/sdk:8.0`;
      expect(missing.detail).toContain(`has no ${path}`);
      expect(missing.detail).toContain('no .NET SDK');
      expect(missing.remedy).toContain(`push it to the registry mirror as ${path}`);
    });
  });
});
