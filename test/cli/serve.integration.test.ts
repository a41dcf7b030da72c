import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_ENTRY } from '../support/run-cli.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'prodsprint-serve-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('prodsprint serve', () => {
  it('serves the API until SIGTERM, then exits 0', async () => {
    const child = spawn(
      process.execPath,
      [CLI_ENTRY, '--data-dir', dataDir, 'serve', '--port', '0', '--json'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const ready = await new Promise<{ url: string; tokenFile: string }>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        try {
          resolve(JSON.parse(stdout));
        } catch {
          // not a whole document yet
        }
      });
      child.once('exit', (code) =>
        reject(new Error(`serve exited ${code} before it was ready: ${stderr}`)),
      );
    });
    const token = readFileSync(ready.tokenFile, 'utf8').trim();
    const reply = await fetch(`${ready.url}/system/version`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(reply.status).toBe(200);
    expect(await reply.json()).toMatchObject({ prodsprint: expect.any(String) });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).not.toContain(token);
  });

  it.each([
    [['--host', '0.0.0.0'], /--host: must be a loopback address/],
    [['--port', 'eighty'], /--port: must be a whole number from 0 to 65535/],
  ])('refuses %s with exit 2', async (args, message) => {
    const child = spawn(process.execPath, [CLI_ENTRY, '--data-dir', dataDir, 'serve', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
