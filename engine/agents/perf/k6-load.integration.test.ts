import { accessSync, constants } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRouteWithK6 } from './k6-load.ts';
import { chooseLoadGenerator, loadRouteWith } from './load-generator.ts';

// k6 cannot be installed where these tests run, so the binary is a test double that follows
// k6's documented CLI contract and really loads the route (see testing/fake-k6.mjs). Everything
// else is real: the spawn, the arguments, the exit code, the summary file, the HTTP server.
const FAKE_K6 = fileURLToPath(new URL('./testing/fake-k6.mjs', import.meta.url));
let server: Server;
let baseUrl: string;
let scratch: string;
const hits = new Map<string, number>();
let onRequest: ((url: string) => void) | undefined;

beforeAll(async () => {
  try {
    accessSync(FAKE_K6, constants.X_OK);
  } catch {
    throw new Error(`${FAKE_K6} lost its executable bit; chmod +x it`);
  }
  scratch = await mkdtemp(join(tmpdir(), 'k6-load-test-'));
  server = createServer((req, res) => {
    hits.set(req.url!, (hits.get(req.url!) ?? 0) + 1);
    onRequest?.(req.url!);
    if (req.url === '/broken') res.writeHead(500).end();
    else res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('loadRouteWithK6', () => {
  it('runs k6 against the route and maps its summary export, every request counted', async () => {
    const result = await loadRouteWithK6({
      baseUrl,
      path: '/ok',
      durationSeconds: 1,
      connections: 2,
      k6Path: FAKE_K6,
    });
    expect(result).toMatchObject({
      route: 'GET /ok',
      failures: 0,
      errorRate: 0,
      generator: 'k6 0.0.0-test-double',
    });
    expect(result.requests).toBeGreaterThan(0);
    expect(result.requests).toBe(hits.get('/ok'));
    expect(result.p95Ms).toBeGreaterThan(0);
    expect(result.p50Ms).toBeLessThanOrEqual(result.p95Ms);
    expect(result.p95Ms).toBeLessThanOrEqual(result.p99Ms);
    expect(result.throughputPerSec).toBeGreaterThan(0);
  });

  it('counts every 500 as a failure', async () => {
    const result = await loadRouteWithK6({
      baseUrl,
      path: '/broken',
      durationSeconds: 1,
      connections: 2,
      k6Path: FAKE_K6,
    });
    expect(result.requests).toBeGreaterThan(0);
    expect(result).toMatchObject({ errorRate: 1, failures: result.requests });
  });

  it('keeps the script and the summary export in workDir when one is given', async () => {
    const workDir = join(scratch, 'kept');
    const result = await loadRouteWithK6({
      baseUrl,
      path: '/kept',
      durationSeconds: 1,
      connections: 1,
      k6Path: FAKE_K6,
      workDir,
    });
    expect(await readFile(join(workDir, 'kept.js'), 'utf8')).toContain('__ENV.BASE_URL');
    const summary = JSON.parse(await readFile(join(workDir, 'kept.summary.json'), 'utf8')) as {
      metrics: { http_reqs: { count: number } };
    };
    expect(summary.metrics.http_reqs.count).toBe(result.requests);
  });

  it('fails with k6 exit code and last output when k6 exits non-zero', async () => {
    const failing = join(scratch, 'failing-k6');
    await writeFile(
      failing,
      '#!/bin/sh\n[ "$1" = version ] && { echo "k6 v1.0.0"; exit 0; }\necho "level=error msg=\\"script exception\\"" >&2\nexit 107\n',
    );
    await chmod(failing, 0o755);
    await expect(
      loadRouteWithK6({
        baseUrl,
        path: '/ok',
        durationSeconds: 1,
        connections: 1,
        k6Path: failing,
      }),
    ).rejects.toThrow(
      /k6 exited with code 107; its last output:\nlevel=error msg="script exception"/,
    );
  });

  it('stops k6 when the signal aborts', async () => {
    const controller = new AbortController();
    onRequest = (url) => url === '/abort' && controller.abort(new Error('step cancelled'));
    try {
      await expect(
        loadRouteWithK6({
          baseUrl,
          path: '/abort',
          durationSeconds: 60,
          connections: 1,
          k6Path: FAKE_K6,
          signal: controller.signal,
        }),
      ).rejects.toThrow('step cancelled');
    } finally {
      onRequest = undefined;
    }
  });
});

describe('chooseLoadGenerator', () => {
  it('picks k6 from PRODSPRINT_K6, then from PATH, and says why when it falls back', async () => {
    const bin = join(scratch, 'bin');
    const empty = join(scratch, 'empty');
    await writeFile(join(scratch, 'not-executable'), '');
    await mkdir(bin);
    await mkdir(empty);
    await symlink(FAKE_K6, join(bin, 'k6'));

    expect(chooseLoadGenerator({ PATH: empty, PRODSPRINT_K6: FAKE_K6 })).toEqual({
      kind: 'k6',
      path: FAKE_K6,
    });
    expect(chooseLoadGenerator({ PATH: bin })).toEqual({ kind: 'k6', path: join(bin, 'k6') });
    expect(chooseLoadGenerator({ PATH: empty })).toEqual({
      kind: 'autocannon',
      reason: expect.stringMatching(
        /^k6 not found on PATH; install k6 from your internal mirror \(or set PRODSPRINT_K6\) to use it — autocannon \d+\.\d+\.\d+ ran instead$/,
      ),
    });
    expect(
      chooseLoadGenerator({ PATH: bin, PRODSPRINT_K6: join(scratch, 'not-executable') }),
    ).toEqual({
      kind: 'autocannon',
      reason: expect.stringContaining(`PRODSPRINT_K6 is ${join(scratch, 'not-executable')}`),
    });
  });

  it('dispatches to the generator it chose', async () => {
    const load = { baseUrl, path: '/dispatch', durationSeconds: 1, connections: 1 };
    const viaK6 = await loadRouteWith(chooseLoadGenerator({ PRODSPRINT_K6: FAKE_K6 }), load);
    expect(viaK6.generator).toBe('k6 0.0.0-test-double');
    const viaAutocannon = await loadRouteWith(chooseLoadGenerator({ PATH: '' }), load);
    expect(viaAutocannon.generator).toMatch(/^autocannon \d+\./);
    expect(viaAutocannon.requests).toBeGreaterThan(0);
  });
});
