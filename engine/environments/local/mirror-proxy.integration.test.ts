/**
 * One relay port against real HTTP servers on 127.0.0.1 (no Docker): a PyPI simple index
 * (PEP 503 is static HTML, so a small server is the real format) that wants Basic auth, and an
 * npm-style registry answering gzip-encoded JSON. Proves the rewriting of index pages and
 * packuments, that the credential is added upstream only, that the mirror's auth challenge never
 * reaches the client, and that real pip installs through the relay with PIP_INDEX_URL.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import {
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '../../secrets/redact.ts';
import { mirrorMapping } from './mirror-rewrite.ts';
import { startMirrorProxy, type MirrorProxy } from './mirror-proxy.ts';

const CREDENTIAL = 'pypi-ci:Pypi-Relay-Secret-42';
const AUTHORIZATION = `Basic ${Buffer.from(CREDENTIAL).toString('base64')}`;

const pipMissing =
  spawnSync('python3', ['-m', 'pip', '--version'], { encoding: 'utf8' }).status === 0
    ? undefined
    : 'python3 -m pip is not available (Debian: python3-pip)';
if (pipMissing && process.env.CI)
  throw new Error(`CI must run the pip relay test, but: ${pipMissing}`);

let root: string;
let mirror: Server;
let mirrorOrigin: string;
let wheel: Buffer;
const seen: Array<{ url: string; authorization?: string }> = [];

/** A minimal valid wheel of `relaydemo` 1.0, made with Python's zipfile. */
function buildWheel(dir: string): Buffer {
  const script = `
import zipfile, sys
name = sys.argv[1]
files = {
  'relaydemo/__init__.py': 'ANSWER = 42\\n',
  'relaydemo-1.0.dist-info/METADATA': 'Metadata-Version: 2.1\\nName: relaydemo\\nVersion: 1.0\\n',
  'relaydemo-1.0.dist-info/WHEEL': 'Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n',
}
with zipfile.ZipFile(name, 'w') as z:
  for path, text in files.items():
    z.writestr(path, text)
  z.writestr('relaydemo-1.0.dist-info/RECORD', ''.join(p + ',,\\n' for p in files) + 'relaydemo-1.0.dist-info/RECORD,,\\n')
`;
  const file = join(dir, 'relaydemo-1.0-py3-none-any.whl');
  const made = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`building the test wheel failed: ${made.stderr}`);
  return readFileSync(file);
}

function answerMirror(req: IncomingMessage, res: ServerResponse): void {
  seen.push({
    url: req.url ?? '',
    ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
  });
  if (req.url?.startsWith('/npm/')) {
    // npm-style: the packument names its tarball by the registry's absolute URL; gzip-encoded.
    const body = gzipSync(
      JSON.stringify({
        name: 'left-pad',
        versions: {
          '1.3.0': { dist: { tarball: `${mirrorOrigin}/npm/left-pad/-/left-pad-1.3.0.tgz` } },
        },
      }),
    );
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end(body);
    return;
  }
  if (req.headers.authorization !== AUTHORIZATION) {
    res.writeHead(401, { 'www-authenticate': 'Basic realm="pypi"', 'content-type': 'text/plain' });
    res.end('authentication required\n');
    return;
  }
  if (req.url === '/pypi/simple/relaydemo/') {
    const sha = createHash('sha256').update(wheel).digest('hex');
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(
      `<!DOCTYPE html><html><body>\n<a href="${mirrorOrigin}/pypi/packages/relaydemo-1.0-py3-none-any.whl#sha256=${sha}">relaydemo-1.0-py3-none-any.whl</a>\n</body></html>\n`,
    );
    return;
  }
  if (req.url === '/pypi/packages/relaydemo-1.0-py3-none-any.whl') {
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': wheel.length,
    });
    res.end(wheel);
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found\n');
}

async function relayTo(
  path: string,
  authorization?: string,
  lines: string[] = [],
): Promise<MirrorProxy> {
  return startMirrorProxy({
    ecosystem: path.startsWith('/npm') ? 'npm' : 'pypi',
    mapping: mirrorMapping(path.startsWith('/npm') ? 'npm' : 'pypi', `${mirrorOrigin}${path}`),
    ...(authorization ? { authorization } : {}),
    host: '127.0.0.1',
    allowClient: (address) => address === '127.0.0.1' || address === '::ffff:127.0.0.1',
    redactor: new Redactor(),
    onRequest: (line) => lines.push(line),
  });
}

function hostAndPort(origin: string): { host: string; port: number } {
  const url = new URL(origin);
  return { host: url.hostname, port: Number(url.port) };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'prodsprint-mirror-proxy-'));
  if (!pipMissing) wheel = buildWheel(root);
  mirror = createServer(answerMirror);
  await new Promise<void>((resolve) => mirror.listen(0, '127.0.0.1', resolve));
  mirrorOrigin = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => mirror.close(() => resolve()));
  rmSync(root, { recursive: true, force: true });
});

describe('a relay port in front of a mirror', () => {
  it('given a gzip-encoded packument, then its tarball URL points at the relay', async () => {
    const lines: string[] = [];
    const relay = await relayTo('/npm/', undefined, lines);
    try {
      const response = await fetch(`${relay.origin}/left-pad`, {
        headers: { 'accept-encoding': 'gzip' },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-encoding')).toBeNull();
      const packument = (await response.json()) as {
        versions: Record<string, { dist: { tarball: string } }>;
      };
      expect(packument.versions['1.3.0']!.dist.tarball).toBe(
        `${relay.origin}/left-pad/-/left-pad-1.3.0.tgz`,
      );
      expect(seen.at(-1)).toEqual({ url: '/npm/left-pad' });
      expect(lines).toEqual([expect.stringMatching(/^npm GET \/left-pad 200 \d+ B$/)]);
    } finally {
      await relay.close();
    }
  });

  it.skipIf(pipMissing !== undefined)(
    'given a PEP 503 index that wants Basic auth, then its file links lead back through the relay and pip installs from it',
    async () => {
      const lines: string[] = [];
      const relay = await relayTo('/pypi/simple/', AUTHORIZATION, lines);
      try {
        const page = await (await fetch(`${relay.origin}/simple/relaydemo/`)).text();
        expect(page).toContain(
          `href="${relay.origin}/packages/relaydemo-1.0-py3-none-any.whl#sha256=`,
        );
        expect(page).not.toContain(mirrorOrigin);

        const target = join(root, 'site');
        // Asynchronously: the relay answers pip from this very process.
        const pip = await promisify(execFile)(
          'python3',
          [
            '-m',
            'pip',
            'install',
            '--no-deps',
            '--no-cache-dir',
            '--disable-pip-version-check',
            '--target',
            target,
            'relaydemo==1.0',
          ],
          {
            env: {
              ...process.env,
              PIP_CONFIG_FILE: '/dev/null',
              PIP_INDEX_URL: `${relay.origin}/simple/`,
              PIP_TRUSTED_HOST: '127.0.0.1',
            },
            timeout: 60_000,
          },
        ).catch((error: Error & { stderr?: string }) => {
          throw new Error(`pip failed: ${error.stderr ?? error.message}`);
        });
        expect(pip.stdout).toContain('Successfully installed relaydemo-1.0');
        expect(readdirSync(target)).toContain('relaydemo');
        expect(lines).toContain(
          `pypi GET /packages/relaydemo-1.0-py3-none-any.whl 200 ${wheel.length} B`,
        );
        // The mirror saw the credential on every request; the client never sent one.
        expect(
          seen
            .filter((request) => request.url.startsWith('/pypi/'))
            .every((r) => r.authorization === AUTHORIZATION),
        ).toBe(true);
      } finally {
        await relay.close();
      }
    },
  );

  it("given no credential, then the mirror's 401 reaches the client without its challenge, and the line says why", async () => {
    const lines: string[] = [];
    const relay = await relayTo('/pypi/simple/', undefined, lines);
    try {
      const response = await fetch(`${relay.origin}/simple/relaydemo/`);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBeNull();
      expect(lines).toEqual([
        'pypi GET /simple/relaydemo/ 401 24 B — the pypi mirror requires a credential and mirrors.pypi has none: `prodsprint config set mirrors.pypi <url> --credential-ref env:NAME`',
      ]);
    } finally {
      await relay.close();
    }
  });

  it('refuses writes, paths that leave the mirror and clients off the build network, each on its own line', async () => {
    const lines: string[] = [];
    const relay = await relayTo('/npm/', undefined, lines);
    const outsider = await startMirrorProxy({
      ecosystem: 'npm',
      mapping: mirrorMapping('npm', `${mirrorOrigin}/npm/`),
      host: '127.0.0.1',
      allowClient: () => false,
      redactor: new Redactor(),
      onRequest: (line) => lines.push(line),
    });
    try {
      const before = seen.length;
      expect((await fetch(`${relay.origin}/left-pad`, { method: 'PUT', body: '{}' })).status).toBe(
        405,
      );
      const status = await new Promise<number>((resolve, reject) =>
        // Options, not a URL: a URL would have its %2e%2e resolved before it is sent.
        request({ ...hostAndPort(relay.origin), path: '/%2e%2e/admin' }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end(),
      );
      expect(status).toBe(400);
      expect((await fetch(`${outsider.origin}/left-pad`)).status).toBe(403);
      expect(seen.length).toBe(before);
      expect(lines.map((line) => line.replace(/ \d+ B — /, ' — '))).toEqual([
        'npm PUT /left-pad 405 — PUT is refused: the relay is read-only, a build cannot publish to the mirror',
        'npm GET /%2e%2e/admin 400 — the path leaves the mirror (.. or . segments)',
        'npm GET /left-pad 403 — 127.0.0.1 is not on the build network',
      ]);
    } finally {
      await relay.close();
      await outsider.close();
    }
  });

  it('says which mirror cannot be reached (502), naming it', async () => {
    const lines: string[] = [];
    const relay = await startMirrorProxy({
      ecosystem: 'go',
      mapping: mirrorMapping('go', 'http://127.0.0.1:9/'),
      host: '127.0.0.1',
      allowClient: () => true,
      redactor: new Redactor(),
      onRequest: (line) => lines.push(line),
    });
    try {
      const response = await fetch(`${relay.origin}/golang.org/x/text/@v/list`);
      expect(response.status).toBe(502);
      expect(lines[0]).toMatch(
        /^go GET \/golang\.org\/x\/text\/@v\/list 502 \d+ B — the go mirror http:\/\/127\.0\.0\.1:9 cannot be reached: .*ECONNREFUSED/,
      );
    } finally {
      await relay.close();
    }
  });
});
