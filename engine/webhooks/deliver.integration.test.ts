import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Redactor } from '../secrets/redact.ts';
import { deliverWebhook, notifyWebhooks, type WebhookEndpoint } from './deliver.ts';
import { signWebhook, verifyWebhook } from './signature.ts';

// A real receiver on 127.0.0.1 whose answers each test scripts, recording what it was sent.
const SECRET = 'whsec-0123456789abcdef-test';
let server: Server | undefined;
afterEach(
  () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
);

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

async function receiver(answers: Array<{ status: number; headers?: Record<string, string> }>) {
  const received: Received[] = [];
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    received.push({ headers: req.headers, body });
    const answer = answers[Math.min(received.length - 1, answers.length - 1)]!;
    res.writeHead(answer.status, answer.headers).end();
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const endpoint: WebhookEndpoint = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    secret: SECRET,
    events: ['release.completed', 'policy.failed'],
  };
  return { received, endpoint };
}

function options() {
  const slept: number[] = [];
  return {
    slept,
    options: {
      redactor: new Redactor(),
      random: () => 0.5,
      sleep: async (ms: number) => void slept.push(ms),
    },
  };
}

describe('webhook delivery', () => {
  it('retries 5xx with full-jitter backoff, then delivers a body the receiver can verify', async () => {
    const { received, endpoint } = await receiver([
      { status: 500 },
      { status: 502 },
      { status: 204 },
    ]);
    const { slept, options: opts } = options();
    const result = await deliverWebhook(
      endpoint,
      { type: 'release.completed', data: { releaseId: 'rel_1', version: 'v2', traffic: 100 } },
      opts,
    );
    expect(result.delivered).toBe(true);
    expect(result.attempts.map((attempt) => attempt.status)).toEqual([500, 502, 204]);
    // random() = 0.5 of the capped exponential 1 s, 2 s.
    expect(slept).toEqual([500, 1000]);
    const last = received.at(-1)!;
    expect(last.headers['x-prodsprint-event']).toBe('release.completed');
    expect(
      verifyWebhook(
        SECRET,
        last.body,
        last.headers['x-prodsprint-timestamp'] as string,
        last.headers['x-prodsprint-signature'] as string,
      ),
    ).toBe(true);
    expect(JSON.parse(last.body)).toMatchObject({
      id: result.deliveryId,
      type: 'release.completed',
      data: { releaseId: 'rel_1' },
    });
    // The same delivery id on every attempt lets the receiver drop duplicates.
    expect(new Set(received.map((r) => r.headers['x-prodsprint-delivery'])).size).toBe(1);
  });

  it('does not retry an answer that will not change (400), and says so', async () => {
    const { received, endpoint } = await receiver([{ status: 400 }]);
    const { slept, options: opts } = options();
    const result = await deliverWebhook(
      endpoint,
      { type: 'policy.failed', data: { gate: 'vulns' } },
      opts,
    );
    expect(result).toMatchObject({
      delivered: false,
      attempts: [{ status: 400, retryInMs: null }],
    });
    expect(received).toHaveLength(1);
    expect(slept).toEqual([]);
  });

  it("honours a 429's Retry-After", async () => {
    const { endpoint } = await receiver([
      { status: 429, headers: { 'retry-after': '7' } },
      { status: 200 },
    ]);
    const { slept, options: opts } = options();
    expect(
      (await deliverWebhook(endpoint, { type: 'policy.failed', data: {} }, opts)).delivered,
    ).toBe(true);
    expect(slept).toEqual([7000]);
  });

  it('gives up after the retry budget against a closed port, with redacted errors', async () => {
    const { endpoint } = await receiver([{ status: 200 }]);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const { options: opts } = options();
    const result = await deliverWebhook(
      { ...endpoint, url: endpoint.url.replace('http://', `http://user:${SECRET}@`) },
      { type: 'policy.failed', data: {} },
      { ...opts, retry: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 10, multiplier: 2 } },
    );
    expect(result.delivered).toBe(false);
    expect(result.attempts).toHaveLength(3);
    expect(result.attempts.every((attempt) => attempt.status === null && attempt.error)).toBe(true);
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it('delivers only to endpoints subscribed to the event', async () => {
    const { received, endpoint } = await receiver([{ status: 200 }]);
    const { options: opts } = options();
    const results = await notifyWebhooks(
      [{ ...endpoint, events: ['release.completed'] }],
      { type: 'policy.failed', data: {} },
      opts,
    );
    expect(results).toEqual([]);
    expect(received).toEqual([]);
  });

  it('refuses a secret too short to be safe', async () => {
    const { endpoint } = await receiver([{ status: 200 }]);
    await expect(
      deliverWebhook(
        { ...endpoint, secret: 'short' },
        { type: 'policy.failed', data: {} },
        options().options,
      ),
    ).rejects.toThrow(/too short/);
  });
});

describe('verifyWebhook', () => {
  const body = '{"type":"release.completed"}';
  const now = 1_800_000_000;
  const sign = (secret: string, at: number) => signWebhook(secret, at, body);

  it.each([
    ['a tampered body', body.replace('completed', 'failed'), String(now), sign(SECRET, now), false],
    ['the wrong secret', body, String(now), sign('another-secret-0123456789', now), false],
    ['a stale timestamp (replay)', body, String(now - 301), sign(SECRET, now - 301), false],
    ['no signature', body, String(now), undefined, false],
    ['an intact delivery', body, String(now), sign(SECRET, now), true],
  ])('%s', (_case, payload, timestamp, signature, ok) => {
    expect(verifyWebhook(SECRET, payload, timestamp, signature, { now })).toBe(ok);
  });
});
