/**
 * One port of the package relay: a reverse proxy from a build's package manager to one mirror.
 *
 * - It forwards method, path, query, body and an allow-list of headers; the mirror's
 *   Authorization is added upstream only (the client's own is dropped), so the credential never
 *   enters the build. Bodies stream both ways, except text answers, which are rewritten so their
 *   URLs lead back here (mirror-rewrite.ts).
 * - It is read-only: PUT, PATCH and DELETE (publish, unpublish, dist-tags) are refused, so a
 *   build step cannot write to the team's mirror with the team's credential.
 * - It answers only addresses it is told to (the build network), and drops the mirror's
 *   WWW-Authenticate challenge: a client must not be invited to send credentials of its own.
 * - Every request is one redacted line: ecosystem, method, path, status, bytes; a refusal by the
 *   mirror (401/403) or a mirror that cannot be reached says so on that line. Nothing is refused
 *   silently.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Redactor } from '../../secrets/redact.ts';
import type { PackageEcosystem } from './offline-settings.ts';
import {
  isRewritable,
  rewriteLocation,
  rewriteText,
  upstreamUrl,
  type MirrorMapping,
} from './mirror-rewrite.ts';

export interface MirrorProxyOptions {
  ecosystem: PackageEcosystem;
  mapping: MirrorMapping;
  /** Sent upstream on every request; never to the client. */
  authorization?: string;
  /** Address to listen on (the build network's gateway; 127.0.0.1 in tests). */
  host: string;
  /** Which client addresses are served; everyone else gets 403. */
  allowClient(address: string): boolean;
  redactor: Redactor;
  onRequest?(line: string): void;
  /** Upstream idle timeout; 60 s unless told. */
  timeoutMs?: number;
}

export interface MirrorProxy {
  /** `http://host:port`, the origin text answers are rewritten to. */
  origin: string;
  close(): Promise<void>;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'POST', 'OPTIONS']);

/** Request headers a package manager needs the mirror to see; nothing else is forwarded. */
const FORWARDED_REQUEST_HEADERS = [
  'accept',
  'accept-language',
  'cache-control',
  'content-type',
  'content-length',
  'if-match',
  'if-modified-since',
  'if-none-match',
  'if-range',
  'range',
  'user-agent',
  'npm-command',
  'pnpm-command',
];

/** Answer headers never passed back: hop-by-hop, the auth challenge, cookies of the mirror. */
const DROPPED_RESPONSE_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'www-authenticate',
  'set-cookie',
]);

const DECODABLE = new Set(['gzip', 'deflate', 'br', 'identity']);

/** Starts the proxy for one mirror on an ephemeral port of `host`. */
export async function startMirrorProxy(options: MirrorProxyOptions): Promise<MirrorProxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer();
  let origin = '';
  const log = (line: string) => options.onRequest?.(options.redactor.redact(line));

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('request', (req, res) => {
    const started = `${options.ecosystem} ${req.method} ${req.url ?? ''}`;
    const refuse = (status: number, reason: string) => {
      const body = `prodsprint package relay: ${reason}\n`;
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(body);
      log(`${started} ${status} ${Buffer.byteLength(body)} B — ${reason}`);
    };
    if (!options.allowClient(req.socket.remoteAddress ?? '')) {
      refuse(403, `${req.socket.remoteAddress} is not on the build network`);
      return;
    }
    if (!READ_METHODS.has(req.method ?? '')) {
      refuse(
        405,
        `${req.method} is refused: the relay is read-only, a build cannot publish to the mirror`,
      );
      return;
    }
    const target = upstreamUrl(options.mapping, req.url ?? '');
    if (!target) {
      refuse(400, 'the path leaves the mirror (.. or . segments)');
      return;
    }
    forward(req, res, target, options, origin).then(
      ({ status, bytes, note }) =>
        log(`${started} ${status} ${bytes} B${note ? ` — ${note}` : ''}`),
      (error: Error) => {
        if (!res.headersSent) {
          refuse(
            502,
            `the ${options.ecosystem} mirror ${options.mapping.base} cannot be reached: ${error.message}`,
          );
          return;
        }
        res.destroy(error);
        log(`${started} aborted — ${error.message}`);
      },
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

interface Forwarded {
  status: number;
  /** Bytes of the body sent to the client. */
  bytes: number;
  note?: string;
}

/** Sends the request upstream and the answer back, rewritten when it is text. */
function forward(
  req: IncomingMessage,
  res: ServerResponse,
  url: string,
  options: MirrorProxyOptions,
  relayOrigin: string,
): Promise<Forwarded> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const upstream = send(url, { method: req.method, headers: upstreamHeaders(req, options) });
    const timeoutMs = options.timeoutMs ?? 60_000;
    upstream.setTimeout(timeoutMs, () =>
      upstream.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)),
    );
    upstream.on('error', reject);
    upstream.on('response', (answer) => {
      const status = answer.statusCode ?? 502;
      const note = refusalNote(status, options);
      const done = (bytes: number) => resolve({ status, bytes, ...(note ? { note } : {}) });
      const headers = answerHeaders(answer, options.mapping, relayOrigin);
      const encoding = String(answer.headers['content-encoding'] ?? 'identity').toLowerCase();
      const rewrite =
        req.method !== 'HEAD' &&
        DECODABLE.has(encoding) &&
        isRewritable(answer.headers['content-type'], url);
      answer.on('error', reject);
      if (!rewrite) {
        res.writeHead(status, headers);
        let bytes = 0;
        answer.on('data', (chunk: Buffer) => (bytes += chunk.length));
        answer.pipe(res);
        // 'close' also comes when the client went away mid-answer: the line says what was sent.
        res.on('close', () => done(bytes));
        return;
      }
      decodedText(answer, encoding).then((text) => {
        const body = Buffer.from(rewriteText(text, options.mapping, relayOrigin));
        delete headers['content-encoding'];
        headers['content-length'] = String(body.length);
        res.writeHead(status, headers);
        res.end(body);
        done(body.length);
      }, reject);
    });
    req.pipe(upstream);
  });
}

function upstreamHeaders(
  req: IncomingMessage,
  options: MirrorProxyOptions,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  // Only encodings this proxy can decode, so text answers can be rewritten.
  const encodings = String(req.headers['accept-encoding'] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => DECODABLE.has(item.split(';')[0]!.trim()));
  if (encodings.length) headers['accept-encoding'] = encodings.join(', ');
  if (options.authorization) headers.authorization = options.authorization;
  return headers;
}

function answerHeaders(
  answer: IncomingMessage,
  mapping: MirrorMapping,
  relayOrigin: string,
): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value === undefined || DROPPED_RESPONSE_HEADERS.has(name)) continue;
    headers[name] =
      name === 'location' && typeof value === 'string'
        ? rewriteLocation(value, mapping, relayOrigin)
        : value;
  }
  return headers;
}

/** What a refusal by the mirror means, for the request line. */
function refusalNote(status: number, options: MirrorProxyOptions): string | undefined {
  const key = `mirrors.${options.ecosystem}`;
  if (status === 401) {
    return options.authorization
      ? `the ${options.ecosystem} mirror refused the configured credential: check the value of the variable ${key}'s credential reference names (\`prodsprint config get ${key}\`)`
      : `the ${options.ecosystem} mirror requires a credential and ${key} has none: \`prodsprint config set ${key} <url> --credential-ref env:NAME\``;
  }
  if (status === 403) {
    return `the ${options.ecosystem} mirror refused access: the credential of ${key} may lack read rights to this path`;
  }
  return undefined;
}

/** The body as text, decoded from gzip, deflate or brotli. */
function decodedText(answer: IncomingMessage, encoding: string): Promise<string> {
  const decoder =
    encoding === 'gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : undefined;
  const stream = decoder ? answer.pipe(decoder) : answer;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
  });
}
