import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditRepository, auditTree } from '../repo-auditor/audit.ts';
import { MemoryTreeReader } from '../repo-auditor/tree-reader.ts';
import { datastoresOf, needsAny } from './datastores.ts';
import { readRepositorySignals } from './repository-signals.ts';

// Fingerprints made by the real auditor from small repositories, as a release sees them.
async function needsOf(files: Record<string, string>, service = 0) {
  const fingerprint = await auditTree(new MemoryTreeReader(files));
  const found = fingerprint.services[service];
  if (!found) throw new Error(`no service ${service} in ${JSON.stringify(fingerprint.services)}`);
  return datastoresOf(found, fingerprint);
}

const expressApp = (deps: Record<string, string> = {}, source = '') => ({
  'package.json': JSON.stringify({
    name: 'api',
    scripts: { start: 'node index.js', test: 'node --test' },
    dependencies: { express: '4', ...deps },
  }),
  'index.js': `const app = require('express')();\n${source}app.listen(3000);\n`,
});

describe('datastoresOf', () => {
  it('needs nothing for a service with no data layer', async () => {
    const needs = await needsOf(expressApp());
    expect(needs).toEqual({
      postgres: null,
      mysql: null,
      redis: null,
      rabbitmq: null,
      mongodb: null,
    });
    expect(needsAny(needs)).toBe(false);
  });

  it('reads PostgreSQL from DATABASE_URL and SQL migrations, with where it saw them', async () => {
    const needs = await needsOf({
      ...expressApp({}, 'const url = process.env.DATABASE_URL;\n'),
      'migrations/20260101000000_init.sql': '-- migrate:up\nCREATE TABLE t (id INT);\n',
    });
    expect(needs.redis).toBeNull();
    expect(needs.postgres?.migrations).toEqual({ tool: 'sql-files', path: 'migrations' });
    expect(needs.postgres?.reasons).toEqual([
      'env DATABASE_URL (index.js:2)',
      'migrations by sql-files (migrations/20260101000000_init.sql:1)',
    ]);
  });

  it('reads PostgreSQL from an ORM alone, and from PG* variables', async () => {
    expect((await needsOf(expressApp({ typeorm: '0.3' }))).postgres?.reasons).toEqual([
      'ORM typeorm (package.json:1)',
    ]);
    const pg = await needsOf(expressApp({}, 'const host = process.env.PGHOST;\n'));
    expect(pg.postgres?.reasons).toEqual(['env PGHOST (index.js:2)']);
  });

  it('reads Redis from REDIS_URL and from a Redis-only queue library, not from Celery', async () => {
    const needs = await needsOf(
      expressApp({ bullmq: '5' }, 'const redis = process.env.REDIS_URL;\n'),
    );
    expect(needs.postgres).toBeNull();
    expect(needs.redis?.reasons).toEqual([
      'env REDIS_URL (index.js:2)',
      'queue bullmq (package.json:1)',
    ]);
    const celery = await needsOf({
      'pyproject.toml': '[project]\nname = "worker"\ndependencies = ["fastapi", "celery"]\n',
      'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
    });
    expect(celery.redis).toBeNull();
  });

  it('reads both from a compose file that runs their images next to the service', async () => {
    const needs = await needsOf({
      ...expressApp(),
      'compose.yaml':
        'services:\n  api:\n    build: .\n  db:\n    image: docker.io/library/postgres:16-alpine\n  cache:\n    image: redis:7\n',
    });
    expect(needs.postgres?.reasons).toEqual([
      'compose service db in compose.yaml (compose.yaml:4)',
    ]);
    expect(needs.redis?.reasons).toEqual([
      'compose service cache in compose.yaml (compose.yaml:6)',
    ]);
  });

  it('reads Redis from a vendor build of it (Redis with modules), under its compose name', async () => {
    // The pattern: a compose stack runs redislabs/redismod as `redis`, and the code connects
    // to host "redis" with no variable at all.
    const needs = await needsOf({
      ...expressApp({ redis: '3' }),
      'compose.yaml':
        "services:\n  redis:\n    image: 'redislabs/redismod'\n  web1:\n    build: .\n",
    });
    expect(needs.redis?.reasons).toContain(
      'compose service redis in compose.yaml (compose.yaml:2)',
    );
  });

  it('does not start PostgreSQL for a MySQL service, whose DATABASE_URL means MySQL', async () => {
    const needs = await needsOf({
      ...expressApp({ sequelize: '6' }, 'const url = process.env.DATABASE_URL;\n'),
      'compose.yaml': 'services:\n  api:\n    build: .\n  db:\n    image: mysql:8\n',
    });
    expect(needs.postgres).toBeNull();
    expect(needs.mysql?.reasons).toEqual([
      'compose service db in compose.yaml (compose.yaml:4)',
      'env DATABASE_URL (index.js:2)',
      'ORM sequelize (package.json:1)',
    ]);
  });

  it('counts a compose file only for the services under its directory', async () => {
    const service = (name: string) => ({
      [`${name}/package.json`]: JSON.stringify({
        name,
        scripts: { start: 'node index.js' },
        dependencies: { express: '4' },
      }),
      [`${name}/index.js`]: "require('express')().listen(3000);\n",
    });
    const files = {
      ...service('api'),
      ...service('web'),
      'api/compose.yaml': 'services:\n  db:\n    image: postgres:16\n',
    };
    const fingerprint = await auditTree(new MemoryTreeReader(files));
    const byName = Object.fromEntries(
      fingerprint.services.map((s) => [s.name, datastoresOf(s, fingerprint)]),
    );
    expect(byName.api?.postgres).not.toBeNull();
    expect(byName.web?.postgres).toBeNull();
  });
});

// The repository's own signals, read from a checkout on disk (drivers, URLs, compose values).
async function needsFromDisk(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'prodsprint-needs-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const fingerprint = await auditRepository(dir);
    const service = fingerprint.services[0]!;
    return datastoresOf(service, fingerprint, readRepositorySignals(dir, service, fingerprint));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('datastoresOf with the repository signals', () => {
  it('reads MySQL from a driver and a mysql:// DATABASE_URL in an .env template, not PostgreSQL', async () => {
    const needs = await needsFromDisk({
      ...expressApp({ mysql2: '3', knex: '3' }, 'const url = process.env.DATABASE_URL;\n'),
      '.env.example': 'PORT=3000\nDATABASE_URL=mysql://root:secret@localhost:3306/shop\n',
    });
    expect(needs.postgres).toBeNull();
    expect(needs.mysql?.reasons).toEqual([
      'driver mysql2 (package.json:1)',
      'DATABASE_URL=mysql:// (.env.example:2)',
      'env DATABASE_URL (index.js:2)',
      'ORM knex (package.json:1)',
    ]);
  });

  it('reads RabbitMQ from Celery with an amqp:// broker in compose, and Redis from its result backend', async () => {
    const needs = await needsFromDisk({
      'pyproject.toml': '[project]\nname = "worker"\ndependencies = ["fastapi", "celery"]\n',
      'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
      'compose.yaml': [
        'services:',
        '  web:',
        '    build: .',
        '    environment:',
        '      CELERY_BROKER_URL: amqp://guest:guest@queue:5672//',
        '      CELERY_RESULT_BACKEND: redis://cache:6379/0',
        '  queue:',
        '    image: rabbitmq:3-management',
        '',
      ].join('\n'),
    });
    expect(needs.rabbitmq?.reasons).toEqual([
      'compose service queue in compose.yaml (compose.yaml:7)',
      'CELERY_BROKER_URL=amqp:// (compose.yaml:5)',
    ]);
    expect(needs.redis?.reasons).toEqual(['CELERY_RESULT_BACKEND=redis:// (compose.yaml:6)']);
    expect(needs.postgres).toBeNull();
  });

  it('reads RabbitMQ from amqplib and MongoDB from mongoose, a mongo image and MONGODB_URI', async () => {
    const needs = await needsFromDisk({
      ...expressApp({ mongoose: '8', amqplib: '0.10' }, 'const uri = process.env.MONGODB_URI;\n'),
      'docker-compose.yml': 'services:\n  app:\n    build: .\n  mongo:\n    image: mongo:7\n',
    });
    expect(needs.mongodb?.reasons).toEqual([
      'env MONGODB_URI (index.js:2)',
      'compose service mongo in docker-compose.yml (docker-compose.yml:4)',
      'driver mongoose (package.json:1)',
    ]);
    expect(needs.rabbitmq?.reasons).toEqual([
      'queue rabbitmq (package.json:1)',
      'driver amqplib (package.json:1)',
    ]);
  });

  it("counts only the stack's datastores a service depends on, when its compose entry says", async () => {
    const needs = await needsFromDisk({
      ...expressApp(),
      'compose.yaml': [
        'services:',
        '  web:',
        '    build: .',
        '    depends_on:',
        '      api:',
        '        condition: service_healthy',
        '  api:',
        '    image: shop/api',
        '    links: ["db:database"]',
        '  db:',
        '    image: postgres:16',
        '',
      ].join('\n'),
    });
    expect(needs.postgres).toBeNull();
    const linked = await needsFromDisk({
      ...expressApp(),
      'compose.yaml':
        'services:\n  api:\n    build: .\n    links:\n      - db:database\n  db:\n    image: postgres:16\n  cache:\n    image: redis:7\n',
    });
    expect(linked.postgres?.reasons).toEqual([
      'compose service db in compose.yaml (compose.yaml:6)',
    ]);
    expect(linked.redis).toBeNull();
  });

  it('reads MySQL from a Go driver and MongoDB from a default URL in code', async () => {
    const needs = await needsFromDisk({
      'go.mod':
        'module example.com/api\n\ngo 1.22\n\nrequire (\n\tgithub.com/go-sql-driver/mysql v1.8.1\n\tgithub.com/gin-gonic/gin v1.10.0\n)\n',
      'main.go':
        'package main\n\nconst events = "mongodb://mongo:27017/events"\n\nfunc main() {}\n',
    });
    expect(needs.mysql?.reasons).toEqual(['driver github.com/go-sql-driver/mysql (go.mod:6)']);
    expect(needs.mongodb?.reasons).toEqual(['mongodb:// (main.go:3)']);
  });
});
