// The orders service's request handling, separate from the listening socket so tests can call
// it directly. Orders are kept in memory, so the example has no npm dependencies; migrations/
// holds the schema a Postgres-backed store would use, which ProdSprint's tests stage applies to
// a throwaway PostgreSQL to prove it applies.
import { createMetrics } from './metrics.js';

export function createApp({ store = new Map(), metrics = createMetrics() } = {}) {
  let nextId = 1;
  return async function handle(req, res) {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      if (req.url !== '/metrics')
        metrics.observe(res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    });
    const url = new URL(req.url, 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      return res.end(metrics.render());
    }
    if (req.method === 'GET' && url.pathname === '/healthz')
      return send(res, 200, { status: 'ok' });
    if (req.method === 'GET' && url.pathname === '/orders')
      return send(res, 200, [...store.values()]);
    if (req.method === 'POST' && url.pathname === '/orders') {
      const body = await readJson(req);
      if (
        !body ||
        typeof body.item !== 'string' ||
        !Number.isInteger(body.quantity) ||
        body.quantity < 1
      ) {
        return send(res, 400, {
          error: 'an order needs an item (text) and a quantity (whole number >= 1)',
        });
      }
      const order = { id: nextId++, item: body.item, quantity: body.quantity };
      store.set(order.id, order);
      return send(res, 201, order);
    }
    return send(res, 404, { error: `no route ${req.method} ${url.pathname}` });
  };
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
