/**
 * The package relay end to end (issue 14), against real components: Verdaccio on 127.0.0.1 as
 * the team's npm mirror (offline, htpasswd auth), the shared dockerd, the `prodsprint-build`
 * network, a client image made from this machine's Node and npm (nothing pulled), and the
 * legacy builder. Proves:
 * (a) npm inside a container on the build network installs through the relay URL;
 * (b) a real `docker build` (networkmode + the relay's build args) runs `npm ci` from a lockfile
 *     whose URLs name registry.npmjs.org, and the credential is in none of: the relay's lines,
 *     the image's history, the bytes of `docker save`;
 * (c) a mirror's 401 becomes a line that says what is wrong and how to fix it.
 */
import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startPackageRelay,
  type PackageRelay,
} from '../../engine/environments/local/package-relay.ts';
import { resolveMirrorCredential } from '../../engine/environments/local/offline-settings.ts';
import { Redactor } from '../../engine/secrets/redact.ts';
import { ensureRuntimeBaseImage } from '../../engine/tools/base-images/index.ts';
import { followProgress } from '../../engine/tools/base-images/rootfs.ts';
import { infraDir } from '../support/infra/daemon.ts';
import { acquireDockerEngine, dockerUnavailableReason } from '../support/infra/docker-engine.ts';
import type { DockerEngine } from '../support/infra/docker-engine.ts';
import { hostNpm, startVerdaccio, type RunningVerdaccio } from '../support/infra/verdaccio.ts';

const skipReason =
  dockerUnavailableReason() ?? (hostNpm() ? undefined : 'no npm CLI on PATH (Debian: npm)');
if (skipReason && process.env.CI)
  throw new Error(`CI must run the package relay tests, but: ${skipReason}`);
if (skipReason) console.warn(`skipping package relay tests: ${skipReason}`);

const USER = 'ci-reader';
const PASSWORD = `Relay-${randomBytes(9).toString('hex')}`;
const CREDENTIAL = `${USER}:${PASSWORD}`;
/** Every form the credential could leak in. */
const NEEDLES = [PASSWORD, Buffer.from(CREDENTIAL).toString('base64')];
const PACKAGE = `relay-probe-${randomBytes(3).toString('hex')}`;
const NPM_IN_IMAGE = '/opt/npm/bin/npm-cli.js';
const CLIENT_ENV = [
  'npm_config_cache=/tmp/npm-cache',
  'NPM_CONFIG_UPDATE_NOTIFIER=false',
  'NPM_CONFIG_AUDIT=false',
  'NPM_CONFIG_FUND=false',
];

/** Streams an image's `docker save` tarball and reports which needles occur in it. */
async function needlesInSave(docker: Docker, image: string, needles: string[]): Promise<string[]> {
  const stream = await docker.getImage(image).get();
  const patterns = needles.map((needle) => Buffer.from(needle));
  const overlap = Math.max(...patterns.map((pattern) => pattern.length)) - 1;
  const found = new Set<string>();
  let tail = Buffer.alloc(0);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const window = Buffer.concat([tail, chunk]);
    patterns.forEach((pattern, index) => {
      if (window.includes(pattern)) found.add(needles[index]!);
    });
    tail = window.subarray(Math.max(0, window.length - overlap));
  }
  return [...found];
}

async function build(
  docker: Docker,
  context: string,
  files: string[],
  options: Parameters<Docker['buildImage']>[1],
): Promise<string[]> {
  const output: string[] = [];
  const stream = await docker.buildImage(
    { context, src: files },
    { rm: true, forcerm: true, ...options },
  );
  await followProgress(docker, stream, (line) => output.push(line));
  return output;
}

describe.skipIf(skipReason !== undefined)(
  'package relay (Verdaccio behind it, real builds)',
  () => {
    let engine: DockerEngine;
    let verdaccio: RunningVerdaccio;
    let relay: PackageRelay;
    let integrity: string;
    let dir: string;
    const lines: string[] = [];
    const redactor = new Redactor();
    const clientImage = `prodsprint-test/npm-client:${randomBytes(4).toString('hex')}`;
    const appImage = `prodsprint-test/relay-app:${randomBytes(4).toString('hex')}`;

    beforeAll(async () => {
      engine = await acquireDockerEngine();
      dir = mkdtempSync(join(infraDir(), 'package-relay-'));
      verdaccio = await startVerdaccio(USER, PASSWORD);
      integrity = await verdaccio.publish({
        name: PACKAGE,
        version: '1.0.0',
        files: { 'index.js': 'module.exports = "installed through the relay";\n' },
      });
      // The client: this machine's Node (local/node:base) and its npm, no shell.
      await ensureRuntimeBaseImage(engine.docker, 'node');
      const clientDir = join(dir, 'client');
      cpSync(hostNpm()!.dir, join(clientDir, 'npm'), { recursive: true, dereference: true });
      writeFileSync(
        join(clientDir, 'Dockerfile'),
        [
          'FROM local/node:base',
          'COPY npm /opt/npm',
          ...CLIENT_ENV.map((e) => `ENV ${e}`),
          '',
        ].join('\n'),
      );
      await build(engine.docker, clientDir, ['Dockerfile', 'npm'], { t: clientImage });

      const { authorization } = resolveMirrorCredential(
        { key: 'mirrors.npm', url: verdaccio.url, credentialRef: 'env:TEST_NPM_MIRROR' },
        { TEST_NPM_MIRROR: CREDENTIAL },
        redactor,
      );
      relay = await startPackageRelay({
        docker: engine.docker,
        mirrors: { npm: { url: verdaccio.url, ...(authorization ? { authorization } : {}) } },
        redactor,
        onRequest: (line) => lines.push(line),
      });
    });

    afterAll(async () => {
      await relay?.stop();
      await verdaccio?.stop();
      for (const image of [appImage, clientImage])
        await engine?.docker
          .getImage(image)
          .remove({ force: true })
          .catch(() => undefined);
      if (dir) rmSync(dir, { recursive: true, force: true });
      await engine?.release();
    });

    it('listens on the gateway of prodsprint-build and gives the build only relay URLs', () => {
      expect(relay.network).toBe('prodsprint-build');
      expect(relay.urls.npm).toBe(`http://${relay.gateway}:${new URL(relay.urls.npm!).port}/`);
      expect(relay.buildArgs).toMatchObject({
        NPM_CONFIG_REGISTRY: relay.urls.npm,
        YARN_REGISTRY: relay.urls.npm,
        BUN_CONFIG_REGISTRY: relay.urls.npm,
      });
      for (const needle of NEEDLES) expect(JSON.stringify(relay)).not.toContain(needle);
    });

    it('(a) npm in a container on the build network installs through the relay', async () => {
      const container = await engine.docker.createContainer({
        Image: clientImage,
        Cmd: [NPM_IN_IMAGE, 'install', `${PACKAGE}@1.0.0`],
        Env: Object.entries(relay.buildArgs).map(([name, value]) => `${name}=${value}`),
        HostConfig: { NetworkMode: relay.network },
      });
      try {
        await container.start();
        const { StatusCode } = (await container.wait()) as { StatusCode: number };
        const logs = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
        expect(StatusCode, logs).toBe(0);
        expect(logs).toContain('added 1 package');
      } finally {
        await container.remove({ force: true });
      }
      expect(lines).toContainEqual(
        expect.stringMatching(new RegExp(`^npm GET /${PACKAGE} 200 \\d+ B$`)),
      );
      expect(lines).toContainEqual(
        expect.stringMatching(
          new RegExp(`^npm GET /${PACKAGE}/-/${PACKAGE}-1\\.0\\.0\\.tgz 200 \\d+ B$`),
        ),
      );
    });

    it('(b) a legacy docker build runs npm ci from a registry.npmjs.org lockfile through the relay; the credential is nowhere in the image', async () => {
      const context = join(dir, 'app');
      const manifest = { name: 'app', version: '1.0.0', dependencies: { [PACKAGE]: '1.0.0' } };
      const lock = {
        name: 'app',
        version: '1.0.0',
        lockfileVersion: 3,
        requires: true,
        packages: {
          '': { name: 'app', version: '1.0.0', dependencies: { [PACKAGE]: '1.0.0' } },
          [`node_modules/${PACKAGE}`]: {
            version: '1.0.0',
            // As a lockfile made against the public registry names it: npm's replace-registry-host
            // default sends it to the configured registry (the relay) instead.
            resolved: `https://registry.npmjs.org/${PACKAGE}/-/${PACKAGE}-1.0.0.tgz`,
            integrity,
          },
        },
      };
      const args = Object.keys(relay.buildArgs).map((name) => `ARG ${name}`);
      mkdirSync(context, { recursive: true });
      writeFileSync(join(context, 'package.json'), JSON.stringify(manifest));
      writeFileSync(join(context, 'package-lock.json'), JSON.stringify(lock));
      writeFileSync(
        join(context, 'Dockerfile'),
        [
          `FROM ${clientImage}`,
          ...args,
          'WORKDIR /build',
          'COPY package.json package-lock.json ./',
          `RUN ["/usr/local/bin/node", "${NPM_IN_IMAGE}", "ci"]`,
          `RUN ["/usr/local/bin/node", "-e", "console.log(require('${PACKAGE}'))"]`,
          '',
        ].join('\n'),
      );
      const before = lines.length;
      const output = await build(
        engine.docker,
        context,
        ['Dockerfile', 'package.json', 'package-lock.json'],
        {
          t: appImage,
          version: '1',
          networkmode: relay.network,
          buildargs: relay.buildArgs,
        },
      );
      expect(output.join('\n')).toContain('installed through the relay');
      expect(lines.slice(before)).toContainEqual(
        expect.stringMatching(
          new RegExp(`^npm GET /${PACKAGE}/-/${PACKAGE}-1\\.0\\.0\\.tgz 200 \\d+ B$`),
        ),
      );

      // ARG values are kept in the history: the relay URL is there, the credential is not.
      const history = JSON.stringify(await engine.docker.getImage(appImage).history());
      expect(history).toContain(relay.urls.npm);
      for (const needle of NEEDLES) expect(history).not.toContain(needle);
      expect(await needlesInSave(engine.docker, appImage, NEEDLES)).toEqual([]);
      for (const needle of NEEDLES) expect(lines.join('\n')).not.toContain(needle);
      expect(output.join('\n')).not.toContain(PASSWORD);
    });

    it('(c) a mirror that refuses the credential is a line saying so, not a silent failure', async () => {
      const refused: string[] = [];
      const wrong = await startPackageRelay({
        docker: engine.docker,
        mirrors: {
          npm: {
            url: verdaccio.url,
            authorization: `Basic ${Buffer.from(`${USER}:not-the-password`).toString('base64')}`,
          },
        },
        redactor,
        onRequest: (line) => refused.push(line),
      });
      try {
        const response = await fetch(`${wrong.urls.npm}${PACKAGE}`);
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBeNull();
        expect(refused).toEqual([
          expect.stringMatching(
            new RegExp(
              `^npm GET /${PACKAGE} 401 \\d+ B — the npm mirror refused the configured credential: check the value of the variable mirrors\\.npm's credential reference names`,
            ),
          ),
        ]);
      } finally {
        await wrong.stop();
      }
    });
  },
);
