import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine/api/index.ts';
import { handleIpcCall, isTrustedSender } from './ipc-adapter.ts';

let dataDir: string;
let engine: Engine;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'prodsprint-ipc-'));
  engine = createEngine({ dataDir });
});
afterEach(() => {
  engine.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('IPC adapter', () => {
  it('answers a contract operation with its value', async () => {
    const envelope = await handleIpcCall(engine, 'prodsprint:system.init', {});
    expect(envelope).toMatchObject({ ok: true, value: { dataDir, created: true } });
  });

  it('carries a Problem across instead of throwing', async () => {
    const envelope = await handleIpcCall(engine, 'prodsprint:system.init', {
      operatorEmail: 'nope',
    });
    expect(envelope).toMatchObject({
      ok: false,
      error: { status: 400, errors: [{ field: 'input.operatorEmail' }] },
    });
  });

  it('refuses channels outside the prefix or the contract', async () => {
    for (const channel of ['system.init', 'prodsprint:shell.exec', 'other:system.init']) {
      const envelope = await handleIpcCall(engine, channel, {});
      expect(envelope).toMatchObject({ ok: false, error: { status: 404 } });
    }
  });

  it('trusts only the app files and the configured dev server', () => {
    expect(isTrustedSender('file:///opt/prodsprint/renderer/index.html', undefined)).toBe(true);
    expect(isTrustedSender('http://127.0.0.1:5173/', 'http://127.0.0.1:5173')).toBe(true);
    expect(isTrustedSender('https://evil.example/', 'http://127.0.0.1:5173')).toBe(false);
    expect(isTrustedSender('http://127.0.0.1:5173/', undefined)).toBe(false);
  });
});
