import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Engine } from './engine.ts';
import { createHttpHandler } from './http-adapter.ts';
import { ProblemError } from '../contract/problem.ts';

export interface RunningHttpServer {
  url: string;
  /** File (mode 0600) holding the bearer token clients must send. */
  tokenFile: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Serves the contract over HTTP on a loopback address with a fresh bearer token, written to the
 * data dir for local clients (the UI, scripts) and registered with the redactor so it is never
 * logged.
 */
export async function startHttpServer(
  engine: Engine,
  options: { host?: string; port?: number } = {},
): Promise<RunningHttpServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) {
    throw ProblemError.of('validation-failed', {
      detail: `serve binds loopback addresses only, not ${host}`,
      remedy:
        'use --host 127.0.0.1 or ::1, and put a reverse proxy with TLS in front for remote access',
      errors: [{ field: 'input.host', message: 'must be a loopback address' }],
    });
  }
  const token = randomBytes(32).toString('base64url');
  engine.redactor.register(token);
  mkdirSync(engine.dataDir, { recursive: true });
  const tokenFile = join(engine.dataDir, 'api-token');
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });

  const server: Server = createServer(createHttpHandler({ engine, token }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 7400, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/v1`,
    tokenFile,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
