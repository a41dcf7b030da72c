import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Mirror } from '../../environments/local/offline-settings.ts';
import { checkPackageMirror, checkRegistryMirror } from './doctor-mirrors.ts';
import { probeHttp, probeRegistry } from '../../system/http-probe.ts';

// Real HTTP servers on 127.0.0.1 stand in for the mirrors: what doctor sees is what a registry
// or a package index answers on the wire, including one that never answers at all.

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A loopback server answering every request with `status` (or never, for `silent`). */
async function serve(status: number | 'silent'): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    seen.push({ url: request.url ?? '', headers: request.headers });
    if (status === 'silent') return;
    response.writeHead(status, { 'content-type': 'application/json' }).end('{}');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, seen };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const SECRET = 'ci:Registry-Pa55word-3391';

describe('probeHttp', () => {
  it('given a server that answers, then its status, without following anything', async () => {
    const { url, seen } = await serve(302);
    expect(await probeHttp(`${url}/simple/`)).toEqual({ answered: true, status: 302 });
    expect(seen.map((s) => s.url)).toEqual(['/simple/']);
  });

  it('given a closed port, then connection refused', async () => {
    expect(await probeHttp(`http://127.0.0.1:${await closedPort()}/`)).toEqual({
      answered: false,
      reason: 'connection refused',
    });
  });

  it('given a server that never answers, then it gives up within the 2 s limit', async () => {
    const { url } = await serve('silent');
    const started = Date.now();
    expect(await probeHttp(url, { timeoutMs: 300 })).toEqual({
      answered: false,
      reason: 'no answer within 0.3 s',
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('never waits longer than 2 s, whatever it is asked', async () => {
    const { url } = await serve('silent');
    const started = Date.now();
    const probe = await probeHttp(url, { timeoutMs: 60_000 });
    expect(probe).toEqual({ answered: false, reason: 'no answer within 2 s' });
    expect(Date.now() - started).toBeLessThan(2500);
  }, 5000);
});

describe('probeRegistry', () => {
  it('asks /v2/ on the registry host, even under a path prefix', async () => {
    const { url, seen } = await serve(200);
    const probe = await probeRegistry(`${url}/hub`, { settingHint: 'hint' });
    expect(probe).toMatchObject({ ok: true, status: 200 });
    expect(seen.map((s) => s.url)).toEqual(['/v2/']);
  });

  it('a 404 is not a registry API; the remedy names the setting', async () => {
    const { url } = await serve(404);
    expect(await probeRegistry(url, { settingHint: '`config set registry.mirror <url>`' })).toEqual(
      {
        ok: false,
        detail: `${url} is not an OCI registry API: ${url}/v2/ answered HTTP 404 (a registry answers 200 or 401)`,
        remedy:
          "give the registry's base URL, the one whose /v2/ answers: `config set registry.mirror <url>`",
      },
    );
  });
});

describe('doctor: registry mirror', () => {
  const mirror = (url: string, credentialRef?: string): Mirror => ({
    key: 'registry.mirror',
    url,
    ...(credentialRef ? { credentialRef } : {}),
  });

  it('given none configured, then a warning that says what blocks and how to set it', async () => {
    const check = await checkRegistryMirror(undefined, {});
    expect(check).toMatchObject({
      id: 'registry-mirror',
      status: 'warn',
      required: false,
      detail: expect.stringMatching(/^not configured: .* is blocked at the build$/),
      remedy: expect.stringContaining('prodsprint config set registry.mirror <url>'),
    });
  });

  it('given a registry that answers /v2/, then ok', async () => {
    const { url } = await serve(200);
    const check = await checkRegistryMirror(mirror(url), {});
    expect(check).toEqual({
      id: 'registry-mirror',
      title: 'Registry mirror (FROM images)',
      status: 'ok',
      required: false,
      detail: `${url} answers on ${url}/v2/ (HTTP 200)`,
    });
  });

  it('given a closed port, then a warning that it does not answer, with the remedy', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const check = await checkRegistryMirror(mirror(url), {});
    expect(check).toMatchObject({
      status: 'warn',
      detail: `the registry at ${url} does not answer (connection refused on ${url}/v2/)`,
      remedy: expect.stringContaining('prodsprint config set registry.mirror <url>'),
    });
  });

  it('given a registry asking for a login and no credential, then the remedy names --credential-ref', async () => {
    const { url } = await serve(401);
    const check = await checkRegistryMirror(mirror(url), {});
    expect(check).toMatchObject({
      status: 'warn',
      remedy: expect.stringContaining(
        `prodsprint config set registry.mirror ${url} --credential-ref env:NAME`,
      ),
    });
  });

  it('given a credential reference, then the credential goes in the header and nowhere in the report', async () => {
    const { url, seen } = await serve(401);
    const check = await checkRegistryMirror(mirror(url, 'env:REGISTRY_TOKEN'), {
      REGISTRY_TOKEN: SECRET,
    });
    expect(check).toMatchObject({
      status: 'ok',
      detail: `${url} (credential: env:REGISTRY_TOKEN) answers on ${url}/v2/ and asks for a login (HTTP 401); a credential is configured`,
    });
    expect(seen[0]?.headers.authorization).toBe(`Basic ${Buffer.from(SECRET).toString('base64')}`);
    expect(JSON.stringify(check)).not.toContain('Pa55word');
  });

  it('given a credential variable that is not set, then a warning naming the variable, without asking', async () => {
    const { url, seen } = await serve(200);
    const check = await checkRegistryMirror(mirror(url, 'env:REGISTRY_TOKEN'), {});
    expect(check).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('REGISTRY_TOKEN, which is not set'),
      remedy: expect.stringContaining('export REGISTRY_TOKEN='),
    });
    expect(seen).toEqual([]);
  });
});

describe('doctor: package mirrors', () => {
  const npm = (url: string, credentialRef?: string): Mirror => ({
    key: 'mirrors.npm',
    url,
    ...(credentialRef ? { credentialRef } : {}),
  });

  it.each(['npm', 'pypi', 'go', 'maven'] as const)(
    'given no %s mirror, then a warning: a first sprint that installs such packages is blocked at the build',
    async (ecosystem) => {
      const check = await checkPackageMirror(ecosystem, undefined, {});
      expect(check).toMatchObject({
        id: `package-mirror.${ecosystem}`,
        status: 'warn',
        required: false,
        detail: expect.stringMatching(/first sprint of a repository that installs .* blocked/),
        remedy: expect.stringContaining(
          `prodsprint config set mirrors.${ecosystem} <url> [--credential-ref env:NAME]`,
        ),
      });
    },
  );

  it('given a mirror that answers (even 404 at its root), then ok', async () => {
    const { url, seen } = await serve(404);
    const check = await checkPackageMirror('go', { key: 'mirrors.go', url: `${url}/` }, {});
    expect(check).toMatchObject({ status: 'ok', detail: `${url}/ answers (HTTP 404)` });
    expect(seen.map((s) => s.url)).toEqual(['/']);
  });

  it('given a closed port, then a warning that builds installing npm packages fail', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/`;
    const check = await checkPackageMirror('npm', npm(url), {});
    expect(check).toMatchObject({
      status: 'warn',
      detail: `${url} does not answer (connection refused): builds that install npm packages (npm, yarn, pnpm, bun) fail`,
      remedy: expect.stringContaining('prodsprint config set mirrors.npm <url>'),
    });
  });

  it('given a mirror that refuses without a credential, then the remedy names --credential-ref', async () => {
    const { url } = await serve(403);
    const check = await checkPackageMirror('npm', npm(url), {});
    expect(check).toMatchObject({
      status: 'warn',
      detail: `${url} refuses this machine (HTTP 403)`,
      remedy: expect.stringContaining(`mirrors.npm ${url} --credential-ref env:NAME`),
    });
  });

  it('given a token, then it is sent as Bearer and the report names only the variable', async () => {
    const { url, seen } = await serve(200);
    const check = await checkPackageMirror('npm', npm(url, 'env:NPM_TOKEN'), {
      NPM_TOKEN: 'npm-token-5566778899',
    });
    expect(check).toMatchObject({
      status: 'ok',
      detail: `${url} (credential: env:NPM_TOKEN) answers (HTTP 200)`,
    });
    expect(seen[0]?.headers.authorization).toBe('Bearer npm-token-5566778899');
    expect(JSON.stringify(check)).not.toContain('npm-token-5566778899');
  });

  it('given a mirror failing with 503, then a warning', async () => {
    const { url } = await serve(503);
    expect(await checkPackageMirror('pypi', { key: 'mirrors.pypi', url }, {})).toMatchObject({
      status: 'warn',
      detail: `${url} answers HTTP 503: it is up but failing`,
    });
  });
});
