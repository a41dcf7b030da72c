/**
 * The HTTP transport: REST under /v1, one route per contract operation (its `http` binding).
 * Thin by design (invariant 1): it maps a request to `engine.invoke(name, input)` and the answer
 * to JSON, or to `application/problem+json` (RFC 9457) with the Problem's status.
 *
 * Local-first security: a bearer token is required on every call, and the Host header must name
 * a loopback address, so a web page cannot reach the API through DNS rebinding.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine } from './engine.ts';
import { operationNames, operations, type OperationName } from '../contract/operations.contract.ts';
import { makeProblem, ProblemError, type Problem } from '../contract/problem.ts';

export interface HttpAdapterOptions {
  engine: Engine;
  /** Bearer token every request must carry. */
  token: string;
  maxBodyBytes?: number;
  /** Host names accepted in the Host header (defaults: loopback names only). */
  allowedHosts?: string[];
}

interface Route {
  name: OperationName;
  method: 'GET' | 'POST';
  pattern: RegExp;
}

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

function compileRoutes(): Route[] {
  return operationNames.map((name) => {
    const { method, path } = operations[name].http;
    const source = `/v1${path}`
      .split('/')
      .map((segment) =>
        segment.startsWith(':')
          ? `(?<${segment.slice(1)}>[^/]+)`
          : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/');
    return { name, method, pattern: new RegExp(`^${source}$`) };
  });
}

/** A Node request listener serving the contract. */
export function createHttpHandler(
  options: HttpAdapterOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const routes = compileRoutes();
  const maxBodyBytes = options.maxBodyBytes ?? 1 << 20;
  const allowedHosts = options.allowedHosts ?? LOOPBACK_HOSTS;
  const expectedToken = Buffer.from(options.token);

  return (req, res) => {
    handle(req).then(
      (value) => send(res, 200, 'application/json', value),
      (error: unknown) => {
        const problem =
          error instanceof ProblemError
            ? error.problem
            : makeProblem('internal', { detail: 'unexpected error in the HTTP adapter' });
        if (problem.retryAfter !== undefined)
          res.setHeader('Retry-After', String(Math.ceil(problem.retryAfter)));
        // Answering before the body was read leaves the rest of it on the socket, where a
        // kept-alive connection would read it as the next request: close instead.
        if (!req.complete) res.setHeader('Connection', 'close');
        send(res, problem.status, 'application/problem+json', {
          ...problem,
          instance: problem.instance ?? req.url,
        });
      },
    );
  };

  async function handle(req: IncomingMessage): Promise<unknown> {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (!allowedHosts.includes(host)) {
      throw ProblemError.of('unauthorized', {
        detail: `requests for host '${host}' are refused`,
        remedy: 'call the API on 127.0.0.1 or localhost',
      });
    }
    const presented = Buffer.from((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (presented.length !== expectedToken.length || !timingSafeEqual(presented, expectedToken)) {
      throw ProblemError.of('unauthorized', {
        detail: 'missing or wrong bearer token',
        remedy: 'send Authorization: Bearer <token> with the token `prodsprint serve` printed',
      });
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const matches = routes.filter((route) => route.pattern.test(url.pathname));
    if (matches.length === 0)
      throw ProblemError.of('not-found', {
        detail: `no API route ${url.pathname}`,
        remedy: 'see GET /v1/system/operations',
      });
    const route = matches.find((candidate) => candidate.method === req.method);
    if (!route) {
      throw ProblemError.of('method-not-allowed', {
        detail: `${req.method} is not allowed on ${url.pathname}; use ${matches.map((m) => m.method).join(' or ')}`,
      });
    }
    const params = { ...route.pattern.exec(url.pathname)!.groups };
    const input =
      route.method === 'GET'
        ? { ...Object.fromEntries(url.searchParams), ...params }
        : { ...(await readJsonBody(req, maxBodyBytes)), ...params };
    return options.engine.invoke(route.name, input as never);
  }
}

async function readJsonBody(
  req: IncomingMessage,
  maxBodyBytes: number,
): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes)
      throw ProblemError.of('payload-too-large', {
        detail: `request body exceeds ${maxBodyBytes} bytes`,
      });
    chunks.push(chunk);
  }
  if (size === 0) return {};
  if (!type.startsWith('application/json')) {
    throw ProblemError.of('unsupported-media-type', {
      detail: `expected application/json, got '${type || 'nothing'}'`,
    });
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw ProblemError.of('validation-failed', {
      detail: `the body is not valid JSON: ${(error as Error).message}`,
    });
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw ProblemError.of('validation-failed', { detail: 'the body must be a JSON object' });
  }
  return body as Record<string, unknown>;
}

function send(res: ServerResponse, status: number, type: string, body: unknown | Problem): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
  });
  res.end(payload);
}
