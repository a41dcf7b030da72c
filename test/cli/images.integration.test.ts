/**
 * `prodsprint images list|publish` as a user runs it (issue 14): a child process per command on a
 * real data dir, a real Distribution registry on 127.0.0.1 configured as the registry mirror,
 * and the shared dockerd building the stand-in. The registry then serves the image under Docker
 * Hub's layout, the audit chain records what stands in for the reference, and a reference with
 * no stand-in here, or no registry to push to, stops with the remedy.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../engine/api/engine.ts';
import { startHttpServer } from '../../engine/api/http-server.ts';
import {
  registryUnavailable,
  startRegistry,
  type RegistryServer,
} from '../security/registry-server.ts';
import {
  acquireDockerEngine,
  dockerUnavailableReason,
  type DockerEngine,
} from '../support/infra/docker-engine.ts';
import { runCli } from '../support/run-cli.ts';

const skipReason = dockerUnavailableReason() ?? registryUnavailable();
if (skipReason && process.env.CI)
  throw new Error(`CI must run the images CLI tests, but: ${skipReason}`);
if (skipReason) console.warn(`skipping images CLI tests: ${skipReason}`);

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

/** A port nothing listens on: bound once to learn it, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.skipIf(skipReason !== undefined)('prodsprint images', () => {
  let engine: DockerEngine;
  let registry: RegistryServer;
  let root: string;
  let dataDir: string;
  const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);

  beforeAll(async () => {
    engine = await acquireDockerEngine();
    registry = await startRegistry();
    root = mkdtempSync(join(tmpdir(), 'prodsprint-images-cli-'));
    dataDir = join(root, 'data');
    expect((await cli('init')).code).toBe(0);
  });

  afterAll(async () => {
    // The stand-in stays on the engine under debian:bookworm-slim (later builds reuse it by input
    // hash, as the stand-in tests leave it); publish removed its registry tag itself.
    await registry?.stop();
    rmSync(root, { recursive: true, force: true });
    await engine?.release();
  });

  it('given no registry configured or given, when publishing, then a validation Problem names config set registry.mirror', async () => {
    const result = await cli('images', 'publish', 'debian:bookworm-slim', '--json');
    expect(result.code).toBe(2);
    const problem = JSON.parse(result.stdout);
    expect(problem.type).toMatch(/validation-failed$/);
    expect(problem.remedy).toContain('prodsprint config set registry.mirror <url>');
  });

  it('given a registry that does not answer, when publishing to it, then nothing is built and the Problem says so with a remedy', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const result = await cli('images', 'publish', 'debian:bookworm-slim', '--registry', url);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`the registry at ${url} does not answer (connection refused`);
    expect(result.stderr).toMatch(/ — start that registry .*config set registry\.mirror/);
  });

  it('given the registry as registry.mirror, when debian:bookworm-slim is published, then the registry serves library/debian:bookworm-slim and the audit chain records the stand-in', async () => {
    const set = await cli('config', 'set', 'registry.mirror', registry.url);
    expect(set.code, set.stderr).toBe(0);

    // --json keeps stdout to one document; --verbose lets the progress through on stderr.
    const result = await cli('images', 'publish', 'debian:bookworm-slim', '--json', '--verbose');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('publishing debian:bookworm-slim to the configured registry');
    expect(result.stderr).toMatch(/pushing debian:bookworm-slim \(Debian 12.* as 127\.0\.0\.1:/);
    const host = registry.url.replace('http://', '');
    const output = JSON.parse(result.stdout);
    expect(output).toEqual({
      registry: registry.url,
      published: [
        {
          reference: 'debian:bookworm-slim',
          pushedAs: `${host}/library/debian:bookworm-slim`,
          digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
          actual: expect.stringMatching(/^Debian 12\.\d+ \(bookworm\)/),
          warnings: [],
        },
      ],
    });
    const [published] = output.published;

    const manifest = await fetch(`${registry.url}/v2/library/debian/manifests/bookworm-slim`, {
      method: 'HEAD',
      headers: { accept: MANIFEST_TYPES },
    });
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('docker-content-digest')).toBe(published.digest);

    const db = new Database(join(dataDir, 'prodsprint.db'), { readonly: true });
    try {
      const rows = db
        .prepare(`SELECT target, meta FROM audit_log WHERE action = 'images.published'`)
        .all() as Array<{ target: string; meta: string }>;
      expect(rows.map((row) => ({ target: row.target, meta: JSON.parse(row.meta) }))).toEqual([
        {
          target: 'image:debian:bookworm-slim',
          meta: {
            pushedAs: published.pushedAs,
            digest: published.digest,
            actual: published.actual,
            warnings: [],
          },
        },
      ]);
    } finally {
      db.close();
    }
    // The push's address was only that: the engine keeps the requested name alone.
    await expect(engine.docker.getImage(published.pushedAs).inspect()).rejects.toThrow();
  }, 300_000);

  it('doctor then lists the registry mirror as answering, and asks the same engine about MongoDB', async () => {
    const result = await cli('doctor', '--json');
    expect([0, 3], result.stderr).toContain(result.code);
    const { checks } = JSON.parse(result.stdout) as {
      checks: Array<{ id: string; status: string; detail: string }>;
    };
    const byId = Object.fromEntries(checks.map((check) => [check.id, check]));
    expect(byId['registry-mirror']).toMatchObject({
      status: 'ok',
      detail: `${registry.url} answers on ${registry.url}/v2/ (HTTP 200)`,
    });
    expect(byId['docker']?.status).toBe('ok');
    expect(byId['backing-service.mongodb']?.detail).not.toMatch(/no Docker Engine answered/);
  });

  it('given ubuntu:22.04, which has no stand-in here, when publishing it, then it exits non-zero with the remedy and pushes nothing', async () => {
    const result = await cli('images', 'publish', 'ubuntu:22.04');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('<reference>: no stand-in for ubuntu:22.04 can be built');
    expect(result.stderr).toMatch(/ — Leave ubuntu:22\.04 out of the list, or push the real image/);
    const tags = await fetch(`${registry.url}/v2/library/ubuntu/tags/list`);
    expect(tags.status).toBe(404);
  });

  it('lists node and python with whether each is available here, as one JSON document', async () => {
    const result = await cli('images', 'list', '--json');
    expect(result.code, result.stderr).toBe(0);
    const { standIns } = JSON.parse(result.stdout) as {
      standIns: Array<{ family: string; available: boolean; standsIn: string; reason?: string }>;
    };
    for (const family of ['node', 'python']) {
      const row = standIns.find((r) => r.family === family);
      expect(row, family).toMatchObject({ available: expect.any(Boolean) });
      if (!row!.available) expect(row!.reason).toBeTruthy();
    }
    expect(standIns.find((r) => r.family === 'ubuntu')).toMatchObject({ available: false });
    const text = await cli('images', 'list');
    expect(text.stdout).toMatch(/^FAMILY +HERE +STANDS IN WITH/);
    expect(text.stdout).toMatch(/^node +(yes|no) /m);
  });

  it('given registry.mirror names a credential variable that is not set, when publishing, then the Problem names the variable and never a value', async () => {
    const set = await cli(
      'config',
      'set',
      'registry.mirror',
      registry.url,
      '--credential-ref',
      'env:IMAGES_TEST_REGISTRY_TOKEN',
    );
    expect(set.code, set.stderr).toBe(0);
    const result = await cli('images', 'publish', 'debian:bookworm-slim', '--json');
    expect(result.code).not.toBe(0);
    const problem = JSON.parse(result.stdout);
    expect(problem.detail).toContain('IMAGES_TEST_REGISTRY_TOKEN, which is not set');
    expect(problem.remedy).toContain('export IMAGES_TEST_REGISTRY_TOKEN=');
  });

  it('answers the same over HTTP /v1: GET /images/stand-ins, and POST /images/publish refuses a registry that is not a URL', async () => {
    const api = createEngine({ dataDir, env: {} });
    const server = await startHttpServer(api, { port: 0 });
    try {
      const token = readFileSync(server.tokenFile, 'utf8').trim();
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const list = await fetch(`${server.url}/images/stand-ins`, { headers });
      expect(list.status).toBe(200);
      const { standIns } = (await list.json()) as { standIns: Array<{ family: string }> };
      expect(standIns.map((row) => row.family)).toEqual(
        expect.arrayContaining(['debian', 'node', 'python', 'golang', 'java', 'nginx']),
      );
      const refused = await fetch(`${server.url}/images/publish`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ references: ['node:20-slim'], registry: '127.0.0.1:5000' }),
      });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { errors: unknown[] }).errors).toEqual([
        { field: 'input.registry', message: 'not a URL: give http(s)://host[:port]/path' },
      ]);
    } finally {
      await server.close();
      api.close();
    }
  });
});
