import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RouterError } from '../../errors.ts';
import { HaproxyRuntimeApi } from './runtime-api.ts';

// A stand-in for HAProxy's admin socket: answers one line, then closes, as HAProxy does.
let server: Server | undefined;
let dir: string | undefined;
const open = new Set<Socket>();

async function fakeSocket(answer: (command: string) => string | undefined): Promise<string> {
  dir = mkdtempSync(join(tmpdir(), 'ps-rt-'));
  const path = join(dir, 'admin.sock');
  server = createServer({ allowHalfOpen: true }, (socket) => {
    open.add(socket);
    socket.once('data', (data) => {
      const reply = answer(data.toString());
      if (reply !== undefined) socket.end(reply);
    });
  });
  await new Promise<void>((resolve) => server!.listen(path, resolve));
  return path;
}

afterEach(async () => {
  for (const socket of open) socket.destroy();
  open.clear();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('HaproxyRuntimeApi', () => {
  it('sends one command line and returns the whole reply', async () => {
    const seen: string[] = [];
    const api = new HaproxyRuntimeApi({
      socketPath: await fakeSocket((c) => (seen.push(c), '5 (initial 100)\n\n')),
    });
    expect(await api.execute('get weight be/v1')).toBe('5 (initial 100)\n\n');
    expect(seen).toEqual(['get weight be/v1\n']);
  });

  it('treats an empty reply as success and any other as a refusal', async () => {
    const api = new HaproxyRuntimeApi({
      socketPath: await fakeSocket((c) =>
        c === 'set weight be/v1 5\n' ? '\n' : 'No such server.\n',
      ),
    });
    await expect(api.expect('set weight be/v1 5')).resolves.toBeUndefined();
    await expect(api.expect('set weight2 be/v9 5')).rejects.toThrow(
      /refused "set weight2 be\/v9 5": No such server/,
    );
  });

  it('refuses to smuggle a second command and explains an unreachable socket', async () => {
    const api = new HaproxyRuntimeApi({ socketPath: join(tmpdir(), 'no-such-haproxy.sock') });
    await expect(api.execute('show info; shutdown sessions')).rejects.toBeInstanceOf(RouterError);
    await expect(api.execute('show info')).rejects.toThrow(/cannot reach the HAProxy admin socket/);
  });

  it('gives up after its timeout when HAProxy does not answer', async () => {
    const api = new HaproxyRuntimeApi({
      socketPath: await fakeSocket(() => undefined),
      timeoutMs: 200,
    });
    await expect(api.execute('show info')).rejects.toThrow(/did not answer "show info" in 200 ms/);
  });
});
