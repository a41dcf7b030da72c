import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditRepository } from '../repo-auditor/audit.ts';
import { composeCredentials } from './compose-credentials.ts';
import type { Datastore } from './datastores.ts';
import { readRepositorySignals } from './repository-signals.ts';

// Compose stacks written the way sample and production repositories write them; the hints are
// what the started datastore takes so that code written against the stack works unchanged.
async function hints(compose: string, datastores: Datastore[]) {
  const dir = mkdtempSync(join(tmpdir(), 'prodsprint-compose-credentials-'));
  try {
    mkdirSync(join(dir, 'backend'));
    writeFileSync(
      join(dir, 'backend', 'package.json'),
      JSON.stringify({
        name: 'api',
        scripts: { start: 'node index.js' },
        dependencies: { express: '4' },
      }),
    );
    writeFileSync(join(dir, 'backend', 'index.js'), "require('express')().listen(3000);\n");
    writeFileSync(join(dir, 'compose.yaml'), compose);
    const fingerprint = await auditRepository(dir);
    const service = fingerprint.services[0]!;
    const signals = readRepositorySignals(dir, service, fingerprint);
    return Object.fromEntries(datastores.map((d) => [d, composeCredentials(d, signals)]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('composeCredentials', () => {
  it("takes the postgres image's defaults and the database the stack names; a password file is not a password", async () => {
    const found = await hints(
      [
        'services:',
        '  backend:',
        '    build: backend',
        '    environment:',
        '      - POSTGRES_DB=example',
        '  db:',
        '    image: postgres',
        '    environment:',
        '      - POSTGRES_DB=example',
        '      - POSTGRES_PASSWORD_FILE=/run/secrets/db-password',
        '',
      ].join('\n'),
      ['postgres', 'redis'],
    );
    expect(found).toEqual({ postgres: { user: 'postgres', database: 'example' }, redis: {} });
  });

  it('logs MySQL apps in as root with the root password the stack sets, unless it names a user', async () => {
    const root = await hints(
      'services:\n  backend:\n    build: backend\n  db:\n    image: mariadb:10.6\n    environment:\n      MYSQL_ROOT_PASSWORD: example\n      MYSQL_DATABASE: shop\n',
      ['mysql'],
    );
    expect(root.mysql).toEqual({ user: 'root', password: 'example', database: 'shop' });
    const user = await hints(
      'services:\n  backend:\n    build: backend\n  db:\n    image: mysql:8\n    environment:\n      MYSQL_USER: shop\n      MYSQL_PASSWORD: ${DB_PASSWORD}\n',
      ['mysql'],
    );
    // An interpolated value is not known from the repository: the password is generated.
    expect(user.mysql).toEqual({ user: 'shop' });
  });

  it("gives RabbitMQ the stack's user and vhost, or guest/guest like the public image", async () => {
    const set = await hints(
      'services:\n  backend:\n    build: backend\n  mq:\n    image: rabbitmq:3-management\n    environment:\n      RABBITMQ_DEFAULT_USER: shop\n      RABBITMQ_DEFAULT_PASS: s3cret\n      RABBITMQ_DEFAULT_VHOST: orders\n',
      ['rabbitmq'],
    );
    expect(set.rabbitmq).toEqual({ user: 'shop', password: 's3cret', database: 'orders' });
    const plain = await hints(
      'services:\n  backend:\n    build: backend\n  mq:\n    image: rabbitmq:3\n',
      ['rabbitmq', 'mongodb'],
    );
    expect(plain).toEqual({
      rabbitmq: { user: 'guest', password: 'guest', database: '/' },
      mongodb: {},
    });
  });
});
