/**
 * A real Git smart-HTTP server for tests: `git http-backend` (a CGI program) behind a small
 * Node HTTP wrapper on 127.0.0.1, with basic auth checked in the wrapper (RECIPES.md, "Git
 * server over HTTP"). Push is never enabled, so a test can prove the importer only reads; every
 * request is recorded so a test can also assert which services were asked for.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface GitHttpServerOptions {
  /** Directory holding the repositories (GIT_PROJECT_ROOT). */
  projectRoot: string;
  /** When set, every request must carry these basic-auth credentials. */
  auth?: { username: string; password: string };
  /** Serve HTTPS with this key and certificate (PEM), e.g. signed by a test CA. */
  tls?: { key: string; cert: string };
}

export interface RecordedRequest {
  method: string;
  url: string;
  status: number;
}

export interface GitHttpServer {
  /** Base URL without credentials, e.g. `http://127.0.0.1:41234` (https:// with `tls`). */
  url: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  const requests: RecordedRequest[] = [];
  const handler: RequestListener = (req, res) => {
    const record = (status: number) =>
      requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', status });
    if (options.auth && !authorized(req, options.auth)) {
      record(401);
      res
        .writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' })
        .end('authentication required\n');
      return;
    }
    runBackend(req, res, options, record);
  };
  const server = options.tls ? createTlsServer(options.tls, handler) : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function authorized(
  req: IncomingMessage,
  expected: { username: string; password: string },
): boolean {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  return decoded === `${expected.username}:${expected.password}`;
}

function runBackend(
  req: IncomingMessage,
  res: ServerResponse,
  options: GitHttpServerOptions,
  record: (status: number) => void,
): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      GIT_PROJECT_ROOT: options.projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      CONTENT_LENGTH: req.headers['content-length'] ?? '',
      HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
      GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
      REMOTE_USER: options.auth?.username ?? '',
      REMOTE_ADDR: '127.0.0.1',
    },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  req.pipe(child.stdin);
  child.stdin.on('error', () => undefined);

  // The CGI reply is a header block ending in a blank line, then the body, streamed through.
  let head = Buffer.alloc(0);
  let headersSent = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    const headerLines = head.subarray(0, end).toString('latin1').split('\r\n');
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else headers[name] = value;
    }
    record(status);
    res.writeHead(status, headers);
    headersSent = true;
    res.write(head.subarray(end + 4));
  });
  child.on('close', () => {
    if (!headersSent) {
      record(502);
      res.writeHead(502).end('git http-backend failed\n');
      return;
    }
    res.end();
  });
}
