/**
 * The proposed smoke test, run by Node's own test runner against a local HTTP server: it must
 * pass when health answers 2xx and routes answer below 500, and fail on a 5xx or a failing health
 * endpoint, or it would tell a team nothing.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSmokeTests } from './render-smoke.ts';
import { smokeViews } from './testing/smoke-fingerprint.ts';

const scratch = mkdtempSync(join(tmpdir(), 'prodsprint-smoke-run-'));
let statuses: Record<string, number> = {};
let server: Server;
let baseUrl = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    res.statusCode = statuses[req.url ?? ''] ?? 404;
    res.end('body');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(scratch, { recursive: true, force: true });
});

/** Runs the smoke file with `node --test`; asynchronously, so this process's server can answer. */
async function runSmoke(): Promise<number> {
  const { store, views } = await smokeViews();
  const [artifact] = renderSmokeTests(store, views);
  const file = join(scratch, 'api.smoke.test.mjs');
  writeFileSync(file, artifact!.content);
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--test', file], {
      env: { ...process.env, SMOKE_BASE_URL: baseUrl },
    });
    child.on('exit', (code) => resolve(code ?? -1));
  });
}

describe('proposed smoke test, run', () => {
  it('passes on a healthy service whose routes answer 4xx', async () => {
    statuses = { "/health's": 200, '/v1/orders': 401 };
    expect(await runSmoke()).toBe(0);
  });

  it('fails when a route answers 5xx', async () => {
    statuses = { "/health's": 204, '/v1/orders': 503 };
    expect(await runSmoke()).not.toBe(0);
  });

  it('fails when the health endpoint does not answer 2xx', async () => {
    statuses = { '/v1/orders': 200, '/v1/items?limit=1': 200 };
    expect(await runSmoke()).not.toBe(0);
  });
});
