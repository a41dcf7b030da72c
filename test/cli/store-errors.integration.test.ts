import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../engine/store/database.ts';
import { runCli } from '../support/run-cli.ts';

// Bad data on disk must produce one clear line naming the file and what to do, a non-zero exit
// code, and leave the file exactly as it was (no rewrite, no WAL or journal left beside it).
const EXIT_STORE = 4;
let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'prodsprint-bad-store-'));
  chmodSync(root, 0o755);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function fingerprint(dir: string) {
  const files = readdirSync(dir).sort();
  return files
    .map(
      (file) =>
        `${file}:${createHash('sha256')
          .update(readFileSync(join(dir, file)))
          .digest('hex')}`,
    )
    .join('\n');
}

function expectOneClearLine(stderr: string, ...mustMention: RegExp[]) {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  for (const pattern of mustMention) expect(lines[0]).toMatch(pattern);
}

describe.each(['init', 'doctor'])(
  '`prodsprint %s` against a database it must not touch',
  (command) => {
    const expectedExit = command === 'init' ? EXIT_STORE : 3;

    it('a file of random bytes', async () => {
      const dataDir = join(root, 'data');
      mkdirSync(dataDir);
      writeFileSync(join(dataDir, 'prodsprint.db'), randomBytes(64 * 1024));
      const before = fingerprint(dataDir);
      const result = await runCli(['--data-dir', dataDir, command]);
      expect(result.code).toBe(expectedExit);
      if (command === 'init')
        expectOneClearLine(
          result.stderr,
          /prodsprint\.db/,
          /not a readable SQLite database/,
          /backup|move it aside/,
        );
      else
        expect(result.stdout).toMatch(
          /\[FAIL\] SQLite database .*prodsprint\.db is not a readable SQLite database/,
        );
      expect(fingerprint(dataDir)).toBe(before);
    });

    it('a text file with a .db name', async () => {
      const dataDir = join(root, 'data');
      mkdirSync(dataDir);
      writeFileSync(join(dataDir, 'prodsprint.db'), 'this is not a database\n'.repeat(200));
      const before = fingerprint(dataDir);
      const result = await runCli(['--data-dir', dataDir, command, '--json']);
      expect(result.code).toBe(expectedExit);
      const document = JSON.parse(result.stdout);
      if (command === 'init')
        expect(document.type).toBe('https://prodsprint.dev/problems/database-unreadable');
      else
        expect(document.checks.find((check: { id: string }) => check.id === 'sqlite').status).toBe(
          'fail',
        );
      expect(fingerprint(dataDir)).toBe(before);
    });

    it('an SQLite database that belongs to something else', async () => {
      const dataDir = join(root, 'data');
      mkdirSync(dataDir);
      const foreign = new Database(join(dataDir, 'prodsprint.db'));
      foreign.exec(
        `CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);`,
      );
      foreign.close();
      const before = fingerprint(dataDir);
      const result = await runCli(['--data-dir', dataDir, command]);
      expect(result.code).toBe(expectedExit);
      if (command === 'init')
        expectOneClearLine(result.stderr, /prodsprint\.db/, /not a ProdSprint one/, /--data-dir/);
      expect(fingerprint(dataDir)).toBe(before);
    });

    it('a database written by a newer ProdSprint', async () => {
      const dataDir = join(root, 'data');
      const store = openStore(dataDir);
      store.db
        .prepare(
          `INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from_the_future', 'x')`,
        )
        .run();
      store.close();
      const before = fingerprint(dataDir);
      const result = await runCli(['--data-dir', dataDir, command]);
      expect(result.code).toBe(expectedExit);
      if (command === 'init')
        expectOneClearLine(
          result.stderr,
          /prodsprint\.db/,
          /newer ProdSprint \(schema 999/,
          /upgrade ProdSprint/,
        );
      else expect(result.stdout).toMatch(/newer ProdSprint/);
      expect(fingerprint(dataDir)).toBe(before);
    });
  },
);

describe('a data dir this user cannot write', () => {
  // Root ignores permission bits, so when the tests run as root the CLI runs as `nobody`.
  const asRoot = process.getuid?.() === 0;
  const nobody = { uid: 65534, gid: 65534 };

  it('init refuses with one line naming the dir, and creates nothing', async () => {
    const dataDir = join(root, 'locked');
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o555);
    const result = await runCli(
      ['--data-dir', dataDir, 'init'],
      asRoot ? { ...nobody, env: { HOME: root } } : {},
    );
    expect(result.code).toBe(EXIT_STORE);
    expectOneClearLine(
      result.stderr,
      new RegExp(`data dir ${dataDir} is not writable`),
      /write access|--data-dir/,
    );
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('an existing database in it is left untouched, and doctor reports the dir as failing', async () => {
    const dataDir = join(root, 'locked-with-db');
    openStore(dataDir).close();
    if (asRoot) chownSync(dataDir, 0, 0);
    chmodSync(dataDir, 0o555);
    const before = fingerprint(dataDir);
    const init = await runCli(
      ['--data-dir', dataDir, 'init'],
      asRoot ? { ...nobody, env: { HOME: root } } : {},
    );
    expect(init.code).toBe(EXIT_STORE);
    expectOneClearLine(init.stderr, /not writable/);
    const doctor = await runCli(
      ['--data-dir', dataDir, 'doctor', '--json'],
      asRoot ? { ...nobody, env: { HOME: root } } : {},
    );
    expect(doctor.code).toBe(3);
    const report = JSON.parse(doctor.stdout);
    expect(report.checks.find((check: { id: string }) => check.id === 'data-dir')).toMatchObject({
      status: 'fail',
    });
    expect(fingerprint(dataDir)).toBe(before);
    expect(existsSync(join(dataDir, 'prodsprint.db-wal'))).toBe(false);
  });
});
