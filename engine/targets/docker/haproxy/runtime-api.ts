/**
 * HAProxy runtime API over its unix admin socket (the `stats socket ... level admin` line the
 * config renders). One connection per command: in non-interactive mode HAProxy answers and
 * closes, so the reply is everything read until the close.
 * https://docs.haproxy.org/2.6/management.html#9.3
 */
import { createConnection } from 'node:net';
import { RouterError } from '../../errors.ts';

export interface RuntimeApiOptions {
  socketPath: string;
  timeoutMs?: number;
}

export class HaproxyRuntimeApi {
  readonly socketPath: string;
  readonly timeoutMs: number;

  constructor(options: RuntimeApiOptions) {
    this.socketPath = options.socketPath;
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  /** Sends one command and returns HAProxy's whole reply. */
  execute(command: string): Promise<string> {
    if (/[\n;]/.test(command)) {
      return Promise.reject(
        new RouterError(`refusing a multi-command runtime API line: ${command}`),
      );
    }
    return new Promise((resolve, reject) => {
      const socket = createConnection(this.socketPath);
      const chunks: Buffer[] = [];
      socket.setTimeout(this.timeoutMs, () =>
        socket.destroy(
          new RouterError(
            `HAProxy runtime API did not answer "${command}" in ${this.timeoutMs} ms`,
          ),
        ),
      );
      socket.on('connect', () => socket.end(`${command}\n`));
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', (error) =>
        reject(
          error instanceof RouterError
            ? error
            : new RouterError(
                `cannot reach the HAProxy admin socket ${this.socketPath}: ${error.message}`,
                'check that HAProxy runs with "stats socket <path> level admin" in its global section',
              ),
        ),
      );
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
  }

  /** Runs a command whose success is an empty reply or one of `okReplies`; throws otherwise. */
  async expect(command: string, okReplies: string[] = []): Promise<void> {
    const reply = (await this.execute(command)).trim();
    if (reply === '' || okReplies.some((ok) => reply.startsWith(ok))) return;
    throw new RouterError(`HAProxy refused "${command}": ${reply}`);
  }
}
