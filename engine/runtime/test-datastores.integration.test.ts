import type Docker from 'dockerode';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRepository } from '../agents/repo-auditor/index.ts';
import { requireMongoImage, runTestsInContainer } from '../agents/test/index.ts';
import { Redactor } from '../secrets/redact.ts';
import { OfflineInputMissingError } from '../system/offline-input.ts';
import { ensureRuntimeBaseImage } from '../tools/base-images/index.ts';
import { ensureMariadbImage } from '../tools/base-images/mariadb-base.ts';
import { startTestDatastores } from './test-datastores.ts';

// The tests stage's backing services end to end on the real Docker Engine: a repository that
// uses PostgreSQL and Redis, one that uses MySQL and RabbitMQ (both written the compose way),
// each tested by a tiny test container that reads only the env it was wired with and logs in to
// every server with it. MongoDB, which cannot be built here, blocks with its remedy. And a
// repository whose database password is a compose secret: the test container gets the file.

interface EngineSupport {
  dockerUnavailableReason(): string | undefined;
  acquireDockerEngine(): Promise<{ docker: Docker; release(): Promise<void> }>;
}
// The shared-daemon helper lives in test/support, outside the engine's tsconfig project.
const supportModule = new URL('../../test/support/infra/docker-engine.ts', import.meta.url);
const support = (await import(supportModule.href)) as EngineSupport;

const skipReason = support.dockerUnavailableReason();
if (skipReason && process.env.CI)
  throw new Error(`CI must run the backing service tests of the tests stage, but: ${skipReason}`);
if (skipReason) console.warn(`skipping backing service tests: ${skipReason}`);

const AMQP = readFileSync(
  new URL('../../test/test-stage/fixtures/amqp-handshake.mjs', import.meta.url),
  'utf8',
);
let docker: Docker;
let release: () => Promise<void>;
let root: string;

beforeAll(async () => {
  if (skipReason) return;
  ({ docker, release } = await support.acquireDockerEngine());
  root = mkdtempSync(join(tmpdir(), 'prodsprint-test-datastores-'));
});
afterAll(async () => {
  if (skipReason) return;
  rmSync(root, { recursive: true, force: true });
  await release();
});

/** Talks to each server the way its client library would, with only what the env says. */
const CLIENT = `
import net from 'node:net';
import { createHash } from 'node:crypto';
const env = process.env;
const sha1 = (...parts) => parts.reduce((h, p) => h.update(p), createHash('sha1')).digest();
const connect = (host, port) => new Promise((resolve, reject) => {
  const socket = net.connect(Number(port), host, () => resolve(socket));
  socket.once('error', reject);
});
const next = (socket) => new Promise((resolve) => socket.once('data', resolve));
async function redis(url) {
  const { hostname, port } = new URL(url);
  const socket = await connect(hostname, port);
  socket.write('PING\\r\\n');
  console.log('redis at ' + hostname + ' says ' + String(await next(socket)).trim());
  socket.end();
}
async function postgres() {
  const socket = await connect(env.DB_HOST, env.DB_PORT);
  socket.write(Buffer.from([0, 0, 0, 8, 4, 210, 22, 47])); // SSLRequest: 'N' = no TLS, listening
  console.log('postgres at ' + env.DB_HOST + ' says ' + String(await next(socket)));
  socket.end();
}
// MySQL protocol: the server's greeting, then mysql_native_password with DB_USER/DB_PASSWORD.
async function mysql() {
  const socket = await connect(env.DB_HOST, env.DB_PORT);
  const greeting = await next(socket);
  const version = greeting.subarray(5, greeting.indexOf(0, 5)).toString();
  let at = greeting.indexOf(0, 5) + 5;
  const part1 = greeting.subarray(at, at + 8);
  at += 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10;
  const scramble = Buffer.concat([part1, greeting.subarray(at, at + 12)]);
  const hash = sha1(env.DB_PASSWORD);
  const token = Buffer.from(sha1(scramble, sha1(hash)).map((b, i) => b ^ hash[i]));
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE(0x1 | 0x8 | 0x200 | 0x8000 | 0x80000);
  const body = Buffer.concat([
    flags, Buffer.from([0, 0, 0, 1, 33]), Buffer.alloc(23),
    Buffer.from(env.DB_USER + '\\0'), Buffer.from([token.length]), token,
    Buffer.from(env.DB_NAME + '\\0mysql_native_password\\0'),
  ]);
  const header = Buffer.from([body.length & 255, (body.length >> 8) & 255, 0, 1]);
  socket.write(Buffer.concat([header, body]));
  const reply = await next(socket);
  console.log('mysql ' + version + ' login ' + (reply[4] === 0 ? 'ok' : 'refused'));
  socket.end();
}
const which = process.argv[2];
// A host written in code, the compose way, reaches the same server through its network alias.
// (Split, so that the MySQL repository, which has this file too, shows no Redis URL.)
const checks = which === 'postgres' ? [postgres(), redis(env.REDIS_URL), redis('redis:' + '//cache:6379')] : [mysql(), import('./amqp.js')];
Promise.all(checks)
  .catch((error) => { console.error(error); process.exit(1); });
`;

function repo(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Audits `dir`, starts its datastores as the tests stage does, runs `npm test` against them. */
async function testRun(dir: string) {
  const fingerprint = await auditRepository(dir);
  const service = fingerprint.services[0]!;
  const redactor = new Redactor();
  const progress: string[] = [];
  const datastores = await startTestDatastores({
    docker,
    service,
    fingerprint,
    repoDir: dir,
    redactor,
    progress: (line) => progress.push(line),
  });
  try {
    const lines: string[] = [];
    const run = await runTestsInContainer({
      docker,
      repoDir: dir,
      plan: { service: 'api', dir: '.', command: 'npm', args: ['test'], coverageFiles: [] },
      image: (await ensureRuntimeBaseImage(docker, 'node')).image,
      network: datastores.network!,
      env: datastores.env!,
      redactor,
      timeoutMs: 60_000,
      onOutput: (line) => lines.push(line),
    });
    return { datastores, exitCode: run.exitCode, lines, progress };
  } finally {
    await datastores.stop();
  }
}

const nodeService = (test: string, deps: Record<string, string>, source: string) => ({
  'package.json': JSON.stringify({
    name: 'api',
    type: 'module',
    scripts: { start: 'node index.js', test },
    dependencies: { express: '4', ...deps },
  }),
  'index.js': `import express from 'express';\n${source}express().listen(3000);\n`,
  'client.js': CLIENT,
});

describe.skipIf(skipReason !== undefined)('startTestDatastores', () => {
  it('wires a PostgreSQL and Redis service by its compose names: DB_* and REDIS_URL at redis://cache', async () => {
    const dir = repo('pg-redis', {
      ...nodeService(
        'node client.js postgres',
        { pg: '8', ioredis: '5' },
        'const db = [process.env.DB_HOST, process.env.DB_PORT, process.env.DB_PASSWORD];\n',
      ),
      'compose.yaml': [
        'services:',
        '  api:',
        '    build: .',
        '    environment:',
        '      DB_HOST: db',
        '      REDIS_URL: redis://cache:6379/0',
        '  db:',
        '    image: postgres:16',
        '  cache:',
        '    image: redis:7',
        '',
      ].join('\n'),
    });
    const { datastores, exitCode, lines } = await testRun(dir);
    expect(exitCode, lines.join('\n')).toBe(0);
    expect(datastores.description).toBe('PostgreSQL + Redis');
    // The compose value keeps its database number and points at the started Redis.
    const redisHost = /^redis:\/\/(prodsprint-redis-[0-9a-f-]+):6379\/0$/.exec(
      datastores.env?.REDIS_URL ?? '',
    )?.[1];
    expect(redisHost).toBeDefined();
    expect(lines).toContain(`redis at ${redisHost} says +PONG`);
    expect(lines).toContain('redis at cache says +PONG');
    expect(datastores.env?.DB_HOST).toMatch(/^prodsprint-postgres-/);
    expect(lines).toContain(`postgres at ${datastores.env?.DB_HOST} says N`);
  });

  it('wires a MySQL and RabbitMQ service: a real login to MariaDB and to the vhost over AMQP', async () => {
    const dir = repo('mysql-rabbit', {
      ...nodeService(
        'node client.js mysql',
        { mysql2: '3', amqplib: '0.10' },
        'const db = [process.env.DB_HOST, process.env.DB_PORT, process.env.DB_USER];\nconst more = [process.env.DB_PASSWORD, process.env.DB_NAME];\n',
      ),
      'amqp.js': AMQP,
      '.env.example': 'DATABASE_URL=mysql://root:secret@localhost:3306/shop\nAMQP_URL=\n',
      // The stack's own settings: apps log in as root with the compose root password, and to
      // RabbitMQ as guest/guest; the tests' datastores take them.
      'compose.yaml': [
        'services:',
        '  api:',
        '    build: .',
        '  db:',
        '    image: mariadb:10.11',
        '    environment:',
        '      MARIADB_ROOT_PASSWORD: example',
        '      MARIADB_DATABASE: shop',
        '  queue:',
        '    image: rabbitmq:3-management',
        '',
      ].join('\n'),
    });
    const { datastores, exitCode, lines } = await testRun(dir);
    expect(exitCode, lines.join('\n')).toBe(0);
    expect(datastores.description).toBe('MySQL (MariaDB) + RabbitMQ');
    expect(lines.find((l) => l.startsWith('mysql '))).toMatch(
      /^mysql \S*-10\.11\.\d+-MariaDB\S* login ok$/,
    );
    expect(lines).toContain('amqp open /');
    expect(datastores.env).toMatchObject({
      DB_USER: 'root',
      DB_PASSWORD: 'example',
      DB_NAME: 'shop',
    });
    expect(datastores.env?.DATABASE_URL).toMatch(
      /^mysql:\/\/root:example@prodsprint-mysql-[0-9a-f-]+:3306\/shop$/,
    );
    expect(datastores.env?.AMQP_URL).toMatch(/^amqp:\/\/guest:guest@prodsprint-rabbitmq-/);
  });

  it('blocks a MongoDB service with the offline input it needs and how to load it', async () => {
    const dir = repo('mongo', {
      ...nodeService('node index.js', { mongoose: '8' }, 'const uri = process.env.MONGODB_URI;\n'),
    });
    const loaded = await requireMongoImage(docker).catch(() => undefined);
    if (loaded) return console.warn(`a MongoDB image (${loaded}) is loaded: nothing to block`);
    const error = await testRun(dir).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(OfflineInputMissingError);
    const missing = error as OfflineInputMissingError;
    expect(missing.input).toEqual({ kind: 'backing-service', name: 'mongodb' });
    expect(missing.remedy).toMatch(/docker load -i/);
    expect(missing.remedy).toMatch(/mongo:<version>/);
  });
});

/**
 * awesome-compose's react-express-mysql pattern, written small: the app's compose service mounts
 * the `db-password` secret and reads the file DATABASE_PASSWORD names (src/config.js), MariaDB
 * reads the same secret through MYSQL_ROOT_PASSWORD_FILE, and the app logs in as root.
 */
const PASSWORD = 'db-fixture-7q2x';
const expressMysqlSecret = {
  'backend/package.json': JSON.stringify({
    name: 'backend',
    scripts: { start: 'node src/index.js', test: 'node --test' },
    dependencies: { express: '4', mysql2: '3' },
  }),
  'backend/src/config.js':
    "const fs = require('fs');\nmodule.exports = { host: process.env.DATABASE_HOST, user: process.env.DATABASE_USER, database: process.env.DATABASE_DB, password: fs.readFileSync(process.env.DATABASE_PASSWORD, 'utf8') };\n",
  'backend/src/index.js': "require('./config');\nrequire('express')().listen(80);\n",
  'compose.yaml': [
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
  ].join('\n'),
  'db/password.txt': `${PASSWORD}\n`,
};

/** The test container's script: reads the file as config.js does, then logs in as the env says. */
const LOGIN = [
  'test ! -w "$DATABASE_PASSWORD" || { echo writable; exit 2; }',
  'IFS= read -r MYSQL_PWD < "$DATABASE_PASSWORD" || true',
  'export MYSQL_PWD',
  'echo "password $MYSQL_PWD"',
  `mariadb -h "$DATABASE_HOST" -u "$DATABASE_USER" -N -e "SELECT CONCAT('logged in as ', CURRENT_USER())" "$DATABASE_DB"`,
].join('; ');

describe.skipIf(skipReason !== undefined)('startTestDatastores with a compose secret', () => {
  it('gives the test container /run/secrets/db-password and DATABASE_PASSWORD naming it; MariaDB accepts root with what it holds', async () => {
    // MariaDB's own image runs the test: it has a shell and the client (no Node driver needed).
    const image = (await ensureMariadbImage(docker)).image;
    const dir = repo('react-express-mysql', expressMysqlSecret);
    const fingerprint = await auditRepository(dir);
    const service = fingerprint.services.find((s) => s.path === 'backend')!;
    const redactor = new Redactor();
    const progress: string[] = [];
    const datastores = await startTestDatastores({
      docker,
      service,
      fingerprint,
      repoDir: dir,
      redactor,
      progress: (line) => progress.push(line),
    });
    try {
      expect(datastores.description).toBe('MySQL (MariaDB)');
      expect(datastores.env).toMatchObject({
        DATABASE_PASSWORD: '/run/secrets/db-password',
        DATABASE_USER: 'root',
        DATABASE_DB: 'example',
      });
      // A throwaway database takes the repository's password (newline dropped, as the image
      // reads its _FILE); the file the app reads holds the same.
      expect(datastores.files).toEqual({ '/run/secrets/db-password': PASSWORD });
      const lines: string[] = [];
      const run = await runTestsInContainer({
        docker,
        repoDir: dir,
        image,
        plan: {
          service: 'backend',
          dir: 'backend',
          command: 'sh',
          args: ['-c', LOGIN],
          coverageFiles: [],
        },
        prepared: { workdir: '/tmp' },
        network: datastores.network!,
        env: datastores.env!,
        files: datastores.files!,
        redactor,
        timeoutMs: 60_000,
        onOutput: (line) => lines.push(line),
      });
      expect(run.exitCode, lines.join('\n')).toBe(0);
      expect(lines).toContain('logged in as root@%');
      // The password the test printed comes back redacted; no progress line carried it.
      expect(lines).toContain('password [REDACTED]');
      expect([...lines, ...progress].join('\n')).not.toContain(PASSWORD);
    } finally {
      await datastores.stop();
    }
  });
});
