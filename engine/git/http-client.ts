/**
 * The HTTP client isomorphic-git uses for smart-HTTP fetches. Ours instead of
 * `isomorphic-git/http/node` because an internal server needs things that one cannot do:
 *  - a custom CA bundle (internal PKI), passed per request, never via process-wide env;
 *  - a download budget, so a huge repository is cut off while it streams, not after;
 *  - no redirects: following one to another host would hand it the Authorization header;
 *  - a socket timeout, so a server that accepts and then hangs fails instead of blocking.
 */
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { GitHttpRequest, GitHttpResponse, HttpClient } from 'isomorphic-git';

export interface HttpClientOptions {
  /** PEM text of extra CA certificates trusted for this import only. */
  ca?: string;
  timeoutMs: number;
  /** Called with every received body chunk size; throws to abort the download. */
  onBytes: (bytes: number) => void;
}

export function createGitHttpClient(options: HttpClientOptions): HttpClient {
  return {
    async request(req: GitHttpRequest): Promise<GitHttpResponse> {
      const body = req.body ? await collect(req.body) : undefined;
      const url = new URL(req.url);
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const method = req.method ?? 'GET';
      return new Promise<GitHttpResponse>((resolve, reject) => {
        const outgoing = send(
          url,
          {
            method,
            headers: {
              ...(req.headers ?? {}),
              ...(body ? { 'content-length': String(body.length) } : {}),
            },
            timeout: options.timeoutMs,
            ...(options.ca ? { ca: options.ca } : {}),
          },
          (res) => {
            resolve({
              url: req.url,
              method,
              statusCode: res.statusCode ?? 0,
              statusMessage: res.statusMessage ?? '',
              headers: flattenHeaders(res.headers),
              body: countedBody(res, options.onBytes),
            });
          },
        );
        outgoing.on('timeout', () =>
          outgoing.destroy(
            Object.assign(new Error('the Git server did not answer in time'), {
              code: 'ETIMEDOUT',
            }),
          ),
        );
        outgoing.on('error', reject);
        outgoing.end(body);
      });
    },
  };
}

async function collect(chunks: AsyncIterableIterator<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

async function* countedBody(
  stream: AsyncIterable<Buffer>,
  onBytes: (bytes: number) => void,
): AsyncIterableIterator<Uint8Array> {
  for await (const chunk of stream) {
    onBytes(chunk.length);
    yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
