import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { createApp } from '../src/app.js';

let base;
let server;
before(async () => {
  server = createServer(createApp());
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => server.close());

test('health endpoint answers ok', async () => {
  const res = await fetch(`${base}/healthz`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'ok' });
});

test('an order is created and listed', async () => {
  const created = await fetch(`${base}/orders`, {
    method: 'POST',
    body: JSON.stringify({ item: 'tea', quantity: 2 }),
  });
  assert.equal(created.status, 201);
  const list = await (await fetch(`${base}/orders`)).json();
  assert.deepEqual(list, [{ id: 1, item: 'tea', quantity: 2 }]);
});

test('an order without a quantity is refused', async () => {
  const res = await fetch(`${base}/orders`, {
    method: 'POST',
    body: JSON.stringify({ item: 'tea' }),
  });
  assert.equal(res.status, 400);
});

test('metrics count answered requests in the latency histogram', async () => {
  await fetch(`${base}/healthz`);
  const text = await (await fetch(`${base}/metrics`)).text();
  const count = Number(/^http_request_duration_seconds_count (\d+)$/m.exec(text)?.[1]);
  assert.ok(count >= 1, text);
  assert.match(text, /^http_requests_total\{code="200"\} \d+$/m);
});
