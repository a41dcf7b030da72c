import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from './engine.ts';
import { startHttpServer, type RunningHttpServer } from './http-server.ts';
import { Problem } from '../contract/problem.ts';

// The HTTP transport on a real loopback socket: same contract, same Problems, plus the
// local-API protections (token, Host check) that only make sense over HTTP.
let dataDir: string;
let engine: Engine;
let server: RunningHttpServer;
let token: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'prodsprint-http-'));
  engine = createEngine({ dataDir });
  server = await startHttpServer(engine, { port: 0 });
  token = readFileSync(server.tokenFile, 'utf8').trim();
});
afterAll(async () => {
  await server.close();
  engine.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  type: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

function call(
  method: string,
  path: string,
  options: { body?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const url = new URL(`${server.url}${path}`);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(options.body ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: res.headers['content-type'] ?? '',
            headers: res.headers,
            body: text ? JSON.parse(text) : undefined,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function expectProblem(reply: Reply, status: number, kind: string): Problem {
  expect(reply.status).toBe(status);
  expect(reply.type).toBe('application/problem+json');
  const problem = Problem.parse(reply.body);
  expect(problem.type).toBe(`https://prodsprint.dev/problems/${kind}`);
  expect(problem.status).toBe(status);
  return problem;
}

describe('HTTP /v1 over the contract', () => {
  it('binds loopback and keeps the token in a 0600 file', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(statSync(server.tokenFile).mode & 0o777).toBe(0o600);
  });

  it('serves an operation as JSON', async () => {
    const reply = await call('POST', '/system/init', {
      body: JSON.stringify({ operatorName: 'HTTP' }),
    });
    expect(reply.status).toBe(200);
    expect(reply.type).toBe('application/json');
    expect(reply.body).toMatchObject({ dataDir, created: true });
    const version = await call('GET', '/system/version');
    expect(version.body).toMatchObject({ prodsprint: expect.any(String) });
  });

  it('takes path parameters and query strings as input (runs.events: runId from the path, after from the query)', async () => {
    // A valid cursor reaches the handler, which looks the run up by the id from the path.
    const problem = expectProblem(
      await call('GET', '/runs/run_1/events?after=abc'),
      400,
      'validation-failed',
    );
    expect(problem.errors).toEqual([{ field: 'input.after', message: expect.any(String) }]);
    expectProblem(await call('GET', '/runs/run_1/events?after=3'), 404, 'not-found');
  });

  it('answers bad input with a Problem naming the field', async () => {
    const problem = expectProblem(
      await call('POST', '/projects/prj_1/blueprints', {
        body: JSON.stringify({ inputs: { target: 'mainframe' } }),
      }),
      400,
      'validation-failed',
    );
    expect(problem.errors?.map((error) => error.field)).toEqual(['input.inputs.target']);
  });

  it.each([
    ['no token', { authorization: '' }, 401, 'unauthorized'],
    ['a wrong token', { authorization: 'Bearer nope' }, 401, 'unauthorized'],
    ['a foreign Host (DNS rebinding)', { host: 'evil.example:80' }, 401, 'unauthorized'],
  ])('refuses %s', async (_case, headers, status, kind) => {
    expectProblem(await call('GET', '/system/version', { headers }), status, kind);
  });

  it.each([
    ['an unknown route', 'GET', '/nowhere', undefined, {}, 404, 'not-found'],
    ['a wrong method', 'DELETE', '/system/version', undefined, {}, 405, 'method-not-allowed'],
    ['malformed JSON', 'POST', '/system/init', '{"operatorName": ', {}, 400, 'validation-failed'],
    ['a JSON array body', 'POST', '/system/init', '[1,2]', {}, 400, 'validation-failed'],
    [
      'a non-JSON content type',
      'POST',
      '/system/init',
      'name=x',
      { 'content-type': 'application/x-www-form-urlencoded' },
      415,
      'unsupported-media-type',
    ],
    [
      'an oversized body',
      'POST',
      '/system/init',
      JSON.stringify({ operatorName: 'x'.repeat(2 << 20) }),
      {},
      413,
      'payload-too-large',
    ],
  ])('answers %s with a Problem', async (_case, method, path, body, headers, status, kind) => {
    expectProblem(await call(method, path, { body, headers }), status, kind);
  });

  it('never returns its own token, even inside an error', async () => {
    const reply = await call('POST', '/system/init', {
      body: JSON.stringify({ operatorEmail: token }),
    });
    expect(JSON.stringify(reply.body)).not.toContain(token);
  });

  it('refuses to bind anything but loopback', async () => {
    await expect(startHttpServer(engine, { host: '0.0.0.0', port: 0 })).rejects.toThrow(
      /loopback addresses only/,
    );
  });
});
