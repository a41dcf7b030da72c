import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readKeyFile, writeKeyFile } from './key-file.ts';
import { generateAuditKey } from './keys.ts';

const dirs: string[] = [];
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'prodsprint-keys-'));
  dirs.push(dir);
  return join(dir, 'keys', 'workstation.key.json');
};
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

// A low scrypt cost keeps the tests fast; the default is 2^15.
const cheap = { scryptCost: 1024 };

describe('key files', () => {
  it('seals a key with a passphrase (scrypt + AES-256-GCM) and opens it only with that passphrase', () => {
    const file = temp();
    const key = generateAuditKey();
    writeKeyFile(file, key, { ...cheap, passphrase: 'correct horse' });
    expect(readFileSync(file, 'utf8')).not.toContain('PRIVATE KEY');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readKeyFile(file, { passphrase: 'correct horse' }).keyId).toBe(key.keyId);
    expect(() => readKeyFile(file, { passphrase: 'wrong' })).toThrow(/wrong passphrase/);
    expect(() => readKeyFile(file)).toThrow(/none was given/);
  });

  it('keeps an unsealed key in a 0600 file and refuses it once others can read it', () => {
    const file = temp();
    const key = generateAuditKey();
    writeKeyFile(file, key);
    expect(readKeyFile(file).keyId).toBe(key.keyId);
    chmodSync(file, 0o644);
    expect(() => readKeyFile(file)).toThrow(/readable by others \(mode 644\)/);
  });

  it('refuses a file whose private key does not match its key id', () => {
    const file = temp();
    writeKeyFile(file, generateAuditKey());
    const json = JSON.parse(readFileSync(file, 'utf8')) as { keyId: string };
    json.keyId = 'a'.repeat(64);
    writeFileSync(file, JSON.stringify(json), { mode: 0o600 });
    expect(() => readKeyFile(file)).toThrow(/does not match the key id/);
  });
});
