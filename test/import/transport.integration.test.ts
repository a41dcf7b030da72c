/**
 * Import failures and safety over real transports on 127.0.0.1: wrong or missing credentials,
 * an unreachable server, a missing branch, HTTPS with an internal CA, and that credentials
 * never reach an error, a stored URL or the server's write service.
 */
import { mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitImportError } from '../../engine/git/errors.ts';
import { importRepository } from '../../engine/git/import-repository.ts';
import type { ImportRepositoryOptions } from '../../engine/git/import-repository.ts';
import { Redactor } from '../../engine/secrets/redact.ts';
import { git } from '../fixtures/repos/build-repo.ts';
import { nodeExpress } from '../fixtures/repos/node-stacks.ts';
import { startGitHttpServer } from '../support/git-http-server.ts';
import type { GitHttpServer } from '../support/git-http-server.ts';
import { materialise } from './fixtures.ts';
import { makeTestCa } from './test-ca.ts';

const USER = 'reader';
const PASSWORD = 'right-pass-93f2a';
let root: string;
let server: GitHttpServer;
let workdir: string;
let counter = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ps-transport-'));
  workdir = materialise(root, 'app', nodeExpress).workdir;
  server = await startGitHttpServer({
    projectRoot: join(root, 'served'),
    auth: { username: USER, password: PASSWORD },
  });
});

afterAll(async () => {
  await server?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

function dest(): string {
  counter += 1;
  return join(root, 'dest', String(counter));
}

async function importFailure(
  options: Omit<ImportRepositoryOptions, 'destDir'>,
): Promise<GitImportError> {
  const destDir = dest();
  const error = await importRepository({ ...options, destDir }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GitImportError);
  expect(existsSync(destDir), 'a failed import leaves nothing behind').toBe(false);
  const failure = error as GitImportError;
  expect(failure.remediation.length).toBeGreaterThan(20);
  return failure;
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 1;
}

describe('credentials', () => {
  it('rejects a wrong password with auth-failed, and never prints it', async () => {
    const failure = await importFailure({
      source: `${server.url}/app.git`,
      credentials: { kind: 'basic', username: USER, password: 'wrong-pass-1234' },
    });
    expect(failure.kind).toBe('auth-failed');
    expect(`${failure.message} ${failure.remediation}`).not.toContain('wrong-pass-1234');
  });

  it('rejects a missing credential with auth-failed', async () => {
    expect((await importFailure({ source: `${server.url}/app.git` })).kind).toBe('auth-failed');
  });

  it('takes credentials embedded in the URL, strips them from the stored URL and registers them', async () => {
    const redactor = new Redactor();
    const source = `http://${USER}:${PASSWORD}@127.0.0.1:${server.port}/app.git`;
    const imported = await importRepository({ source, destDir: dest(), redactor });
    expect(imported.repoUrl).toBe(`${server.url}/app.git`);
    expect(JSON.stringify(imported)).not.toContain(PASSWORD);
    expect(redactor.redact(`clone failed for ${source}`)).not.toContain(PASSWORD);
  });

  it('masks a wrong password embedded in the URL in the error', async () => {
    const failure = await importFailure({
      source: `http://${USER}:bad-secret-777@127.0.0.1:${server.port}/app.git`,
    });
    expect(failure.kind).toBe('auth-failed');
    expect(
      JSON.stringify({ message: failure.message, remediation: failure.remediation }),
    ).not.toContain('bad-secret-777');
  });

  it('accepts a token as basic-auth password', async () => {
    const imported = await importRepository({
      source: `${server.url}/app.git`,
      destDir: dest(),
      credentials: { kind: 'token', username: USER, token: PASSWORD },
    });
    expect(imported.files).toBe(Object.keys(nodeExpress).length);
  });
});

describe('reachability and refs', () => {
  it('reports a closed port on 127.0.0.1 as unreachable (HTTP)', async () => {
    const failure = await importFailure({
      source: `http://127.0.0.1:${await closedPort()}/app.git`,
      timeoutMs: 5000,
    });
    expect(failure.kind).toBe('unreachable');
  });

  it('reports a closed port on 127.0.0.1 as unreachable (SSH, host keys enforced)', async () => {
    const failure = await importFailure({
      source: `ssh://git@127.0.0.1:${await closedPort()}/app.git`,
      knownHostsPath: join(root, 'known_hosts'),
      timeoutMs: 5000,
    });
    expect(failure.kind).toBe('unreachable');
  });

  it('reports an unknown repository path over HTTP', async () => {
    const failure = await importFailure({
      source: `${server.url}/nope.git`,
      credentials: { kind: 'basic', username: USER, password: PASSWORD },
    });
    expect(failure.kind).toBe('unreachable');
  });

  it('reports a missing branch over HTTP and from a path', async () => {
    const http = await importFailure({
      source: `${server.url}/app.git`,
      branch: 'release/9',
      credentials: { kind: 'basic', username: USER, password: PASSWORD },
    });
    expect(http.kind).toBe('branch-not-found');
    const local = await importFailure({ source: workdir, branch: 'release/9' });
    expect(local.kind).toBe('branch-not-found');
  });

  it('refuses sources that are not repositories or use other schemes', async () => {
    expect((await importFailure({ source: join(root, 'served') })).kind).toBe('invalid-source');
    expect((await importFailure({ source: 'ext::sh -c touch% /tmp/pwned' })).kind).toBe(
      'invalid-source',
    );
    expect((await importFailure({ source: '--upload-pack=touch /tmp/pwned' })).kind).toBe(
      'invalid-source',
    );
  });

  it('reports an empty repository as having no branch to import', async () => {
    const empty = join(root, 'work', 'empty');
    git(root, ['init', '-q', '-b', 'main', empty]);
    expect((await importFailure({ source: empty })).kind).toBe('branch-not-found');
  });

  it('refuses a destination that is not empty', async () => {
    const failure = await importRepository({ source: workdir, destDir: workdir }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(GitImportError);
    expect(readdirSync(workdir).length).toBeGreaterThan(0);
  });
});

describe('HTTPS with an internal CA', () => {
  let tlsServer: GitHttpServer;
  let caPath: string;

  beforeAll(async () => {
    const ca = makeTestCa(mkdtempSync(join(root, 'ca-')));
    caPath = ca.caPath;
    tlsServer = await startGitHttpServer({
      projectRoot: join(root, 'served'),
      auth: { username: USER, password: PASSWORD },
      tls: { key: ca.key, cert: ca.cert },
    });
  });

  afterAll(async () => {
    await tlsServer?.close();
  });

  it('fails TLS verification without the CA bundle', async () => {
    const failure = await importFailure({
      source: `${tlsServer.url}/app.git`,
      credentials: { kind: 'basic', username: USER, password: PASSWORD },
    });
    expect(failure.kind).toBe('tls-failed');
  });

  it('imports with the CA bundle', async () => {
    const imported = await importRepository({
      source: `${tlsServer.url}/app.git`,
      destDir: dest(),
      caBundlePath: caPath,
      credentials: { kind: 'basic', username: USER, password: PASSWORD },
    });
    expect(imported.repoUrl).toBe(`${tlsServer.url}/app.git`);
  });
});

it('never asked the server for the write service', () => {
  expect(server.requests.some((request) => request.url.includes('receive-pack'))).toBe(false);
});
