import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditRepository } from '../repo-auditor/audit.ts';
import { readRepositorySignals } from './repository-signals.ts';
import { wireBackingServices, type StartedBackingService } from './wire-backing-services.ts';

// Fingerprints made by the real auditor from small repositories on disk, each reproducing how
// real services read their connection settings; the started instances are what the tests stage
// and the local environments hand over.
async function wire(files: Record<string, string>, started: StartedBackingService[]) {
  const dir = mkdtempSync(join(tmpdir(), 'prodsprint-wiring-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const fingerprint = await auditRepository(dir);
    const service = fingerprint.services[0]!;
    const signals = readRepositorySignals(dir, service, fingerprint);
    return wireBackingServices(service, fingerprint, started, signals);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const postgres: StartedBackingService = {
  datastore: 'postgres',
  host: 'ps-shop-staging-postgres',
  port: 5432,
  user: 'app',
  password: 'pw1',
  database: 'app',
};
const mysql: StartedBackingService = { ...postgres, datastore: 'mysql', port: 3306, host: 'db' };
const redis: StartedBackingService = {
  datastore: 'redis',
  host: 'cache',
  port: 6379,
  user: null,
  password: null,
  database: null,
};
const rabbitmq: StartedBackingService = {
  datastore: 'rabbitmq',
  host: 'queue',
  port: 5672,
  user: 'app',
  password: 'pw2',
  database: '/',
};
const mongodb: StartedBackingService = {
  datastore: 'mongodb',
  host: 'mongo',
  port: 27017,
  user: 'app',
  password: 'pw3',
  database: 'app',
};

const node = (source: string, deps: Record<string, string> = {}) => ({
  'package.json': JSON.stringify({
    name: 'api',
    scripts: { start: 'node index.js' },
    dependencies: { express: '4', ...deps },
  }),
  'index.js': `const app = require('express')();\n${source}app.listen(3000);\n`,
});

describe('wireBackingServices', () => {
  it('gives a Node service its PostgreSQL under the usual names and the DB_* names it reads', async () => {
    const env = await wire(
      node(
        'const db = { host: process.env.DB_HOST, port: process.env.DB_PORT, user: process.env.DB_USER, password: process.env.DB_PASSWORD, database: process.env.DB_NAME };\n',
        { pg: '8' },
      ),
      [postgres],
    );
    expect(env).toMatchObject({
      DATABASE_URL: 'postgres://app:pw1@ps-shop-staging-postgres:5432/app',
      PGHOST: 'ps-shop-staging-postgres',
      PGPASSWORD: 'pw1',
      POSTGRES_DB: 'app',
      DB_HOST: 'ps-shop-staging-postgres',
      DB_PORT: '5432',
      DB_USER: 'app',
      DB_PASSWORD: 'pw1',
      DB_NAME: 'app',
    });
    expect(env.REDIS_URL).toBeUndefined();
  });

  it('rewrites compose values that name the compose datastore services, keeping scheme, driver and options', async () => {
    const env = await wire(
      {
        'requirements.txt': 'flask\nsqlalchemy\npsycopg2-binary\nredis\n',
        'app.py':
          'import os\nfrom flask import Flask\napp = Flask(__name__)\nuri = os.environ["SQLALCHEMY_DATABASE_URI"]\n',
        'compose.yaml': [
          'services:',
          '  web:',
          '    build: .',
          '    environment:',
          '      SQLALCHEMY_DATABASE_URI: postgresql+psycopg2://postgres:postgres@db:5432/app?sslmode=disable',
          '      CACHE: redis://redis:6379/2',
          '      DB_HOST: db',
          '  db:',
          '    image: postgres:16',
          '  redis:',
          '    image: redis:7-alpine',
          '',
        ].join('\n'),
      },
      [postgres, redis],
    );
    expect(env.SQLALCHEMY_DATABASE_URI).toBe(
      'postgresql+psycopg2://app:pw1@ps-shop-staging-postgres:5432/app?sslmode=disable',
    );
    expect(env.CACHE).toBe('redis://cache:6379/2');
    expect(env.DB_HOST).toBe('ps-shop-staging-postgres');
    // SQLAlchemy refuses postgres://: a Python service gets postgresql://.
    expect(env.DATABASE_URL).toBe('postgresql://app:pw1@ps-shop-staging-postgres:5432/app');
    expect(env.REDIS_URL).toBe('redis://cache:6379');
  });

  it('gives a MySQL service mysql:// with the driver its .env template names, and MYSQL_* it reads', async () => {
    const env = await wire(
      {
        ...node(
          'const host = process.env.MYSQL_HOST;\nconst pass = process.env.MARIADB_PASSWORD;\n',
          {
            mysql2: '3',
          },
        ),
        '.env.example': 'DATABASE_URL=mysql://root:secret@localhost:3306/shop\n',
      },
      [mysql],
    );
    expect(env).toMatchObject({
      DATABASE_URL: 'mysql://app:pw1@db:3306/app',
      MYSQL_HOST: 'db',
      MYSQL_PORT: '3306',
      MYSQL_USER: 'app',
      MYSQL_PASSWORD: 'pw1',
      MYSQL_DATABASE: 'app',
      MARIADB_PASSWORD: 'pw1',
    });
    expect(env.PGHOST).toBeUndefined();
  });

  it('points Spring Boot at JDBC, RabbitMQ and MongoDB through the SPRING_* names it reads', async () => {
    const env = await wire(
      {
        'pom.xml':
          '<project><artifactId>orders</artifactId><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-amqp</artifactId></dependency></dependencies></project>\n',
        'compose.yaml': [
          'services:',
          '  orders:',
          '    build: .',
          '    environment:',
          '      SPRING_DATASOURCE_URL: jdbc:mysql://mysql:3306/orders',
          '      SPRING_DATASOURCE_USERNAME: orders',
          '      SPRING_DATASOURCE_PASSWORD: orders',
          '      SPRING_RABBITMQ_HOST: rabbitmq',
          '      SPRING_RABBITMQ_USERNAME: guest',
          '      SPRING_RABBITMQ_PASSWORD: guest',
          '      SPRING_DATA_MONGODB_URI: mongodb://mongo:27017/orders',
          '',
        ].join('\n'),
      },
      [mysql, rabbitmq, mongodb],
    );
    expect(env).toMatchObject({
      SPRING_DATASOURCE_URL: 'jdbc:mysql://db:3306/app',
      SPRING_DATASOURCE_USERNAME: 'app',
      SPRING_DATASOURCE_PASSWORD: 'pw1',
      SPRING_RABBITMQ_HOST: 'queue',
      SPRING_RABBITMQ_USERNAME: 'app',
      SPRING_RABBITMQ_PASSWORD: 'pw2',
      SPRING_DATA_MONGODB_URI: 'mongodb://app:pw3@mongo:27017/app?authSource=admin',
      AMQP_URL: 'amqp://app:pw2@queue:5672/%2F',
      MONGODB_URI: 'mongodb://app:pw3@mongo:27017/app?authSource=admin',
    });
  });

  it('sends Celery to RabbitMQ when it runs, else to Redis, and leaves broker names alone without either', async () => {
    const celery = {
      'pyproject.toml': '[project]\nname = "worker"\ndependencies = ["celery"]\n',
      'tasks.py':
        'import os\nfrom celery import Celery\napp = Celery("tasks", broker=os.environ.get("CELERY_BROKER_URL"))\n',
    };
    expect((await wire(celery, [rabbitmq, redis])).CELERY_BROKER_URL).toBe(
      'amqp://app:pw2@queue:5672/%2F',
    );
    expect((await wire(celery, [redis])).CELERY_BROKER_URL).toBe('redis://cache:6379');
    expect(await wire(celery, [])).toEqual({});
  });
});
