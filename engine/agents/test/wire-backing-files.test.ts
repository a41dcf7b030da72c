import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '../../secrets/redact.ts';
import { auditRepository } from '../repo-auditor/audit.ts';
import { composeCredentials } from './compose-credentials.ts';
import type { Datastore } from './datastores.ts';
import { readRepositorySignals } from './repository-signals.ts';
import {
  registerBackingFiles,
  unavailableBackingFiles,
  wireBackingFiles,
} from './wire-backing-files.ts';
import { wireBackingServices, type StartedBackingService } from './wire-backing-services.ts';

// Small repositories written on disk the way compose stacks hand a database password to the app
// and the database as a secret (awesome-compose's react-express-mysql, nginx-golang-postgres,
// nginx-flask-mysql: `secrets: db-password: file: db/password.txt`, the database reading it with
// MYSQL_ROOT_PASSWORD_FILE / POSTGRES_PASSWORD_FILE, the app with DATABASE_PASSWORD=<the path> or
// by reading /run/secrets/db-password in code). Audited by the real auditor; the started
// datastores take the names composeCredentials gives them, as the callers start them.
let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'prodsprint-backing-files-'));
  // Beside the repositories, never inside one: a secret that points here must not be read.
  writeFileSync(join(root, 'outside.txt'), 'host-secret');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let repos = 0;
async function wire(
  files: Record<string, string>,
  datastores: Datastore[],
  links: Record<string, string> = {},
) {
  const dir = join(root, `repo-${repos++}`);
  mkdirSync(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  for (const [path, target] of Object.entries(links)) symlinkSync(target, join(dir, path));
  const fingerprint = await auditRepository(dir);
  const service = fingerprint.services.find((s) => s.path === 'backend')!;
  const signals = readRepositorySignals(dir, service, fingerprint);
  const started: StartedBackingService[] = datastores.map((datastore) => {
    const hints = composeCredentials(datastore, signals);
    return {
      datastore,
      host: `prodsprint-${datastore}-1`,
      port: datastore === 'mysql' ? 3306 : 5432,
      user: hints.user ?? 'test',
      password: `started-${datastore}-pw`,
      database: hints.database ?? 'test',
    };
  });
  return {
    dir,
    signals,
    started,
    files: wireBackingFiles(service, fingerprint, started, signals),
    env: wireBackingServices(service, fingerprint, started, signals),
  };
}

const backend = (source = "require('express')().listen(3000);\n") => ({
  'backend/package.json': JSON.stringify({
    name: 'backend',
    scripts: { start: 'node index.js' },
    dependencies: { express: '4', mysql2: '3' },
  }),
  'backend/index.js': source,
});

/** react-express-mysql's pattern: the path in DATABASE_PASSWORD, root's password in the file. */
const expressMysql = [
  'services:',
  '  backend:',
  '    build:',
  '      context: backend',
  '    environment:',
  '      - DATABASE_DB=example',
  '      - DATABASE_USER=root',
  '      - DATABASE_PASSWORD=/run/secrets/db-password',
  '      - DATABASE_HOST=db',
  '    secrets:',
  '      - db-password',
  '    depends_on:',
  '      - db',
  '  db:',
  '    image: mariadb:10.6.4-focal',
  '    secrets:',
  '      - db-password',
  '    environment:',
  '      - MYSQL_DATABASE=example',
  '      - MYSQL_ROOT_PASSWORD_FILE=/run/secrets/db-password',
  'secrets:',
  '  db-password:',
  '    file: db/password.txt',
  '',
].join('\n');

describe('wireBackingFiles', () => {
  it('gives the secret the app and MariaDB share (short syntax) the started password, and leaves DATABASE_PASSWORD the path', async () => {
    const { files, env, started, signals } = await wire(
      {
        ...backend(
          "const fs = require('fs');\nconst password = fs.readFileSync(process.env.DATABASE_PASSWORD);\nconst user = process.env.DATABASE_USER;\nrequire('express')().listen(3000);\n",
        ),
        'compose.yaml': expressMysql,
        'db/password.txt': 'db-78n9n\n',
      },
      ['mysql'],
    );
    // The app logs in as root (DATABASE_USER=root): MariaDB is started as root, with the
    // password the repository's file gives the tests stage, trailing newline dropped.
    expect(composeCredentials('mysql', signals)).toEqual({
      user: 'root',
      password: 'db-78n9n',
      database: 'example',
    });
    expect(files).toEqual({ '/run/secrets/db-password': 'started-mysql-pw' });
    expect(env.DATABASE_PASSWORD).toBe('/run/secrets/db-password');
    expect(env).toMatchObject({
      DATABASE_USER: 'root',
      DATABASE_HOST: 'prodsprint-mysql-1',
      DATABASE_DB: 'example',
      MYSQL_PASSWORD: 'started-mysql-pw',
    });
    expect(started[0]!.user).toBe('root');
  });

  it('places a long-syntax mount at its target, absolute or under /run/secrets, for PostgreSQL reading POSTGRES_PASSWORD_FILE', async () => {
    // nginx-golang-postgres's pattern (the code reads the file itself), with long syntax.
    const { files, signals } = await wire(
      {
        ...backend("const pw = require('fs').readFileSync('/etc/app/db-password');\n"),
        'compose.yaml': [
          'services:',
          '  backend:',
          '    build: backend',
          '    secrets:',
          '      - source: db-password',
          '        target: /etc/app/db-password',
          '        mode: 0400',
          '      - source: db-password',
          '        target: pg_pw',
          '  db:',
          '    image: postgres',
          '    secrets:',
          '      - source: db-password',
          '        target: /run/secrets/postgres-password',
          '    environment:',
          '      - POSTGRES_DB=example',
          '      - POSTGRES_PASSWORD_FILE=/run/secrets/postgres-password',
          'secrets:',
          '  db-password:',
          '    file: ./db/password.txt',
          '',
        ].join('\n'),
        'db/password.txt': 'db-q5n2g',
      },
      ['postgres'],
    );
    expect(files).toEqual({
      '/etc/app/db-password': 'started-postgres-pw',
      '/run/secrets/pg_pw': 'started-postgres-pw',
    });
    expect(composeCredentials('postgres', signals)).toEqual({
      user: 'postgres',
      password: 'db-q5n2g',
      database: 'example',
    });
  });

  it("gives a secret no datastore reads the repository's file as it is, and an environment: secret its .env value", async () => {
    const { files, env } = await wire(
      {
        ...backend(),
        'compose.yaml': [
          'services:',
          '  backend:',
          '    build: backend',
          '    environment:',
          '      API_KEY_FILE: /run/secrets/api-key',
          '    secrets: [api-key, session]',
          'secrets:',
          '  api-key:',
          '    file: secrets/api-key.txt',
          '  session:',
          '    environment: SESSION_SECRET',
          '',
        ].join('\n'),
        'secrets/api-key.txt': 'key-123\n',
        '.env': 'SESSION_SECRET=from-dot-env\n',
      },
      [],
    );
    expect(files).toEqual({
      '/run/secrets/api-key': 'key-123\n',
      '/run/secrets/session': 'from-dot-env',
    });
    expect(env).toEqual({ API_KEY_FILE: '/run/secrets/api-key' });
  });

  it('refuses a secret file outside the checkout, behind a symbolic link, too large or external, and says why', async () => {
    const { files, signals } = await wire(
      {
        ...backend(),
        'compose.yaml': [
          'services:',
          '  backend:',
          '    build: backend',
          '    secrets: [climbs, absolute, linked, through, big, external]',
          'secrets:',
          '  climbs:',
          '    file: ../outside.txt',
          '  absolute:',
          `    file: ${join(root, 'outside.txt')}`,
          '  linked:',
          '    file: db/linked.txt',
          '  through:',
          '    file: host/outside.txt',
          '  big:',
          '    file: db/big.txt',
          '  external:',
          '    external: true',
          '',
        ].join('\n'),
        'db/big.txt': 'x'.repeat(64 * 1024 + 1),
      },
      [],
      { 'db/linked.txt': join(root, 'outside.txt'), host: root },
    );
    expect(files).toEqual({});
    const why = unavailableBackingFiles(files, signals).join('\n');
    expect(why).toContain('/run/secrets/climbs: secret climbs file ../outside.txt is outside');
    expect(why).toContain('/run/secrets/absolute: secret absolute file /');
    expect(why).toContain('db/linked.txt goes through a symbolic link');
    expect(why).toContain('host/outside.txt goes through a symbolic link (host)');
    expect(why).toContain('db/big.txt is larger than 64 KiB');
    expect(why).toContain('secret external is external');
    expect(why).not.toContain('host-secret');
  });

  it("gives a MySQL user's secret the started password and root's its own file when the app logs in as MYSQL_USER", async () => {
    const { files, signals } = await wire(
      {
        ...backend(),
        'compose.yaml': [
          'services:',
          '  backend:',
          '    build: backend',
          '    secrets: [db-user-password, db-root-password]',
          '  db:',
          '    image: mysql:8',
          '    secrets: [db-user-password, db-root-password]',
          '    environment:',
          '      MYSQL_USER: shop',
          '      MYSQL_DATABASE: shop',
          '      MYSQL_PASSWORD_FILE: /run/secrets/db-user-password',
          '      MYSQL_ROOT_PASSWORD_FILE: /run/secrets/db-root-password',
          'secrets:',
          '  db-user-password:',
          '    file: db/user.txt',
          '  db-root-password:',
          '    file: db/root.txt',
          '',
        ].join('\n'),
        'db/user.txt': 'user-pw-1',
        'db/root.txt': 'root-pw-1',
      },
      ['mysql'],
    );
    expect(composeCredentials('mysql', signals)).toEqual({
      user: 'shop',
      password: 'user-pw-1',
      database: 'shop',
    });
    expect(files).toEqual({
      '/run/secrets/db-user-password': 'started-mysql-pw',
      '/run/secrets/db-root-password': 'root-pw-1',
    });
  });

  it('registers every content with the redactor, trimmed too', () => {
    const redactor = new Redactor();
    registerBackingFiles({ '/run/secrets/a': 'key-123\n', '/run/secrets/b': 'abc' }, redactor);
    expect(redactor.redact('got key-123 and abc')).toBe('got [REDACTED] and abc');
  });
});
