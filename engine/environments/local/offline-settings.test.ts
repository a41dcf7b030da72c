import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../api/engine.ts';
import { ProblemError } from '../../contract/problem.ts';
import { MASK, Redactor } from '../../secrets/redact.ts';
import { openStore } from '../../store/database.ts';
import { OfflineInputMissingError } from '../../system/offline-input.ts';
import { readOfflineSettings, resolveMirrorCredential } from './offline-settings.ts';

let dataDir: string;
let engine: Engine;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'prodsprint-offline-settings-'));
  engine = createEngine({ dataDir, env: {} });
});
afterEach(() => {
  engine.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function auditRows(): Array<{ action: string; target: string; meta: string }> {
  const store = openStore(dataDir);
  try {
    return store.db
      .prepare(
        `SELECT action, target, meta FROM audit_log WHERE action LIKE 'config.%' ORDER BY seq`,
      )
      .all() as Array<{ action: string; target: string; meta: string }>;
  } finally {
    store.close();
  }
}

describe('readOfflineSettings', () => {
  it('given mirrors set through config.set, when read for a build, then each comes with its key', async () => {
    await engine.invoke('config.set', {
      key: 'mirrors.npm',
      value: { url: 'http://127.0.0.1:4873/', credentialRef: 'env:NPM_TOKEN' },
    });
    await engine.invoke('config.set', {
      key: 'registry.mirror',
      value: { url: 'http://127.0.0.1:15000' },
    });
    const store = openStore(dataDir);
    try {
      expect(readOfflineSettings(store.db)).toEqual({
        registryMirror: { key: 'registry.mirror', url: 'http://127.0.0.1:15000' },
        mirrors: {
          npm: {
            key: 'mirrors.npm',
            url: 'http://127.0.0.1:4873/',
            credentialRef: 'env:NPM_TOKEN',
          },
        },
      });
    } finally {
      store.close();
    }
  });

  it('given nothing set, when read, then no mirror is configured', () => {
    const store = openStore(dataDir);
    try {
      expect(readOfflineSettings(store.db)).toEqual({ mirrors: {} });
    } finally {
      store.close();
    }
  });
});

describe('config.set and config.unset', () => {
  it('given a set and an unset, then each wrote one audit entry with the old and new reference', async () => {
    await engine.invoke('config.set', {
      key: 'mirrors.pypi',
      value: { url: 'https://pypi.example.internal/simple/', credentialRef: 'env:PYPI_CRED' },
    });
    const unset = await engine.invoke('config.unset', { key: 'mirrors.pypi' });
    expect(unset).toEqual({
      key: 'mirrors.pypi',
      removed: true,
      previous: { url: 'https://pypi.example.internal/simple/', credentialRef: 'env:PYPI_CRED' },
    });
    // Unsetting again changes nothing and leaves no entry.
    expect((await engine.invoke('config.unset', { key: 'mirrors.pypi' })).removed).toBe(false);
    const rows = auditRows();
    expect(rows.map((row) => [row.action, row.target])).toEqual([
      ['config.set', 'setting:mirrors.pypi'],
      ['config.unset', 'setting:mirrors.pypi'],
    ]);
    expect(JSON.parse(rows[0]!.meta)).toEqual({
      key: 'mirrors.pypi',
      old: null,
      new: { url: 'https://pypi.example.internal/simple/', credentialRef: 'env:PYPI_CRED' },
    });
    expect(JSON.parse(rows[1]!.meta)).toMatchObject({ old: { credentialRef: 'env:PYPI_CRED' } });
  });

  it('given a URL with user:password in it, when set, then it is refused and nothing is stored', async () => {
    const error = await engine
      .invoke('config.set', {
        key: 'mirrors.npm',
        value: { url: 'https://ci:hunter2-secret@nexus.example.internal/npm/' },
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProblemError);
    const { problem } = error as ProblemError;
    expect(problem.errors).toEqual([
      {
        field: 'input.value.url',
        message: expect.stringContaining('give --credential-ref env:NAME'),
      },
    ]);
    expect(JSON.stringify(problem)).not.toContain('hunter2-secret');
    expect(auditRows()).toEqual([]);
    expect((await engine.invoke('config.get', { key: 'mirrors.npm' })).value).toBeNull();
  });

  it('given an unknown key, when set, then the validation Problem lists the known keys', async () => {
    const error = (await engine
      .invoke('config.set', { key: 'mirrors.cargo' as never, value: { url: 'http://x/' } })
      .catch((caught: unknown) => caught)) as ProblemError;
    expect(error.problem.errors?.[0]).toEqual({
      field: 'input.key',
      message:
        'unknown setting; the known keys are registry.mirror, mirrors.npm, mirrors.pypi, mirrors.go, mirrors.maven',
    });
  });

  it('given a credential reference that is not env:NAME, when set, then it is refused', async () => {
    const error = (await engine
      .invoke('config.set', {
        key: 'mirrors.go',
        value: { url: 'http://athens.internal/', credentialRef: 'vault:secret/go' },
      })
      .catch((caught: unknown) => caught)) as ProblemError;
    expect(error.problem.errors?.[0]?.field).toBe('input.value.credentialRef');
  });
});

describe('resolveMirrorCredential', () => {
  const mirror = {
    key: 'mirrors.npm' as const,
    url: 'http://127.0.0.1:4873/',
    credentialRef: 'env:NPM_MIRROR',
  };

  it('given a token, then it is sent as Bearer and masked from then on', () => {
    const redactor = new Redactor();
    const header = resolveMirrorCredential(mirror, { NPM_MIRROR: 'tok-1234567\n' }, redactor);
    expect(header).toEqual({ authorization: 'Bearer tok-1234567' });
    expect(redactor.redact('got tok-1234567')).toBe(`got ${MASK}`);
  });

  it('given user:password, then it is sent as Basic and the password alone is masked too', () => {
    const redactor = new Redactor();
    const header = resolveMirrorCredential(mirror, { NPM_MIRROR: 'ci:pa55word-x' }, redactor);
    const encoded = Buffer.from('ci:pa55word-x').toString('base64');
    expect(header).toEqual({ authorization: `Basic ${encoded}` });
    expect(redactor.redact(`pa55word-x ${encoded}`)).toBe(`${MASK} ${MASK}`);
  });

  it('given no credential reference, then there is no header', () => {
    expect(
      resolveMirrorCredential({ ...mirror, credentialRef: undefined }, {}, new Redactor()),
    ).toEqual({});
  });

  it('given the variable is not set, then the error names it and says how to supply it', () => {
    let caught: unknown;
    try {
      resolveMirrorCredential(mirror, {}, new Redactor());
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OfflineInputMissingError);
    const error = caught as OfflineInputMissingError;
    expect(error.input).toEqual({ kind: 'package-mirror', name: 'npm' });
    expect(error.detail).toContain('NPM_MIRROR, which is not set');
    expect(error.remedy).toMatch(/^export NPM_MIRROR=<token> \(or <user>:<password>\)/);
  });
});
