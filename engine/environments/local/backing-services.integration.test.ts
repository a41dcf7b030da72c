import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRepository } from '../../agents/repo-auditor/index.ts';
import { unframeDockerLogs } from '../../tools/docker-logs.ts';
import { Redactor } from '../../secrets/redact.ts';
import { credentialsPath } from './backing-credentials.ts';
import { requireMongoImage } from '../../agents/test/index.ts';
import { OfflineInputMissingError } from '../../system/offline-input.ts';
import { ensureBackingServices, stopBackingServices } from './backing-services.ts';
import { environmentDir } from './state.ts';

// The backing services of a local environment on the real Docker Engine: started once, found
// again, and their data kept across a restart and across new containers (a redeploy).

interface EngineSupport {
  dockerUnavailableReason(): string | undefined;
  acquireDockerEngine(): Promise<{ docker: Docker; release(): Promise<void> }>;
}
// The shared-daemon helper lives in test/support, outside the engine's tsconfig project.
const supportModule = new URL('../../../test/support/infra/docker-engine.ts', import.meta.url);
const support = (await import(supportModule.href)) as EngineSupport;

const skipReason = support.dockerUnavailableReason();
if (skipReason && process.env.CI)
  throw new Error(`CI must run the environment backing service tests, but: ${skipReason}`);
if (skipReason) console.warn(`skipping environment backing service tests: ${skipReason}`);

const projectId = `backing-${randomBytes(3).toString('hex')}`;
const environment = 'staging';
const network = `ps-${projectId}-${environment}`;
let docker: Docker;
let release: () => Promise<void>;
let root: string;

beforeAll(async () => {
  if (skipReason) return;
  ({ docker, release } = await support.acquireDockerEngine());
  root = mkdtempSync(join(tmpdir(), 'prodsprint-backing-'));
});
afterAll(async () => {
  if (skipReason) return;
  await stopBackingServices(join(root, 'data'), projectId, environment, docker, {
    removeVolumes: true,
    network,
  }).catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
  await release();
});

/** A Node service that reads PostgreSQL, MySQL and Redis settings the way apps do. */
function serviceRepo(): string {
  const dir = join(root, 'repo');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'shop',
      scripts: { start: 'node index.js' },
      dependencies: { express: '4', pg: '8', mysql2: '3', ioredis: '5' },
    }),
  );
  writeFileSync(
    join(dir, 'index.js'),
    "const app = require('express')();\nconst pg = process.env.PGHOST;\nconst my = process.env.MYSQL_HOST;\nconst cache = process.env.REDIS_URL;\napp.listen(3000);\n",
  );
  writeFileSync(
    join(dir, 'compose.yaml'),
    'services:\n  shop:\n    build: .\n  db:\n    image: postgres:16\n  cache:\n    image: redis:7\n',
  );
  return dir;
}

/** Runs a client of `image` on the environment network; exit code and output. */
async function client(image: string, cmd: string[], env: Record<string, string>) {
  const container = await docker.createContainer({
    Image: image,
    Entrypoint: cmd,
    Env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
    User: '1000:1000',
    HostConfig: { NetworkMode: network },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = unframeDockerLogs(
      (await container.logs({ stdout: true, stderr: true })) as Buffer,
    );
    return { code: StatusCode, output: logs.trim() };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

const psql = (env: Record<string, string>, sql: string) =>
  client(
    'local/postgres:base',
    ['psql', '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql],
    env,
  );
const mariadb = (env: Record<string, string>, sql: string) =>
  client(
    'local/mariadb:base',
    ['mariadb', '-h', env.MYSQL_HOST!, '-u', env.MYSQL_USER!, '-N', '-e', sql, env.MYSQL_DATABASE!],
    { MYSQL_PWD: env.MYSQL_PASSWORD! },
  );

describe.skipIf(skipReason !== undefined)('ensureBackingServices', () => {
  it('starts them once, reuses them, and keeps their data across a restart and new containers', async () => {
    const repoDir = serviceRepo();
    const fingerprint = await auditRepository(repoDir);
    const dataDir = join(root, 'data');
    const redactor = new Redactor();
    const progress: string[] = [];
    const ensure = () =>
      ensureBackingServices({
        docker,
        dataDir,
        projectId,
        environment,
        network,
        service: fingerprint.services[0]!,
        fingerprint,
        repoDir,
        redactor,
        onProgress: (line) => progress.push(line),
      });

    const first = await ensure();
    expect(first.description).toBe('PostgreSQL + MySQL (MariaDB) + Redis');
    expect(first.services.map((s) => [s.datastore, s.started, s.aliases])).toEqual([
      ['postgres', true, ['db']],
      ['mysql', true, []],
      ['redis', true, ['cache']],
    ]);
    const password = first.env.PGPASSWORD!;
    expect(password).toMatch(/^[0-9a-f]{36}$/);
    expect(first.env.MYSQL_PASSWORD).not.toBe(password);
    // The compose file runs the postgres image: its user and database names, our password.
    expect(first.env.DATABASE_URL).toBe(
      `postgres://postgres:${password}@ps-${projectId}-staging-backing-postgres:5432/postgres`,
    );
    expect(progress.join('\n')).not.toContain(password);
    expect(redactor.redact(`url ${first.env.DATABASE_URL}`)).not.toContain(password);
    const file = credentialsPath(environmentDir(dataDir, projectId, environment));
    expect(statSync(file).mode & 0o777).toBe(0o600);

    expect(
      await psql(first.env, 'CREATE TABLE kept (v TEXT); INSERT INTO kept VALUES ($$pg$$)'),
    ).toMatchObject({ code: 0 });
    expect(
      await mariadb(first.env, "CREATE TABLE kept (v TEXT); INSERT INTO kept VALUES ('my')"),
    ).toMatchObject({ code: 0 });

    // Twice: the same containers, running as they were, the same env.
    const ids = await Promise.all(
      first.services.map(async (s) => (await docker.getContainer(s.container).inspect()).Id),
    );
    const second = await ensure();
    expect(second.env).toEqual(first.env);
    expect(second.services.map((s) => s.started)).toEqual([false, false, false]);
    expect(
      await Promise.all(
        second.services.map(async (s) => (await docker.getContainer(s.container).inspect()).Id),
      ),
    ).toEqual(ids);

    // A restart of the containers (the machine rebooted), then a redeploy on new containers.
    for (const s of second.services) await docker.getContainer(s.container).restart({ t: 10 });
    const afterRestart = await ensure();
    expect(await psql(afterRestart.env, 'SELECT v FROM kept')).toEqual({ code: 0, output: 'pg' });
    expect(await mariadb(afterRestart.env, 'SELECT v FROM kept')).toEqual({
      code: 0,
      output: 'my',
    });

    const stopped = await stopBackingServices(dataDir, projectId, environment, docker);
    expect(stopped.removedContainers).toHaveLength(3);
    expect(stopped.removedVolumes).toEqual([]);
    const third = await ensure();
    expect(third.services.map((s) => s.started)).toEqual([true, true, true]);
    expect(third.env).toEqual(first.env);
    expect(await psql(third.env, 'SELECT v FROM kept')).toEqual({ code: 0, output: 'pg' });
    expect(await mariadb(third.env, 'SELECT v FROM kept')).toEqual({ code: 0, output: 'my' });

    const removed = await stopBackingServices(dataDir, projectId, environment, docker, {
      removeVolumes: true,
      network,
    });
    expect(removed.removedVolumes.sort()).toEqual(
      ['mysql', 'postgres', 'redis'].map((d) => `ps-${projectId}-staging-backing-${d}-data`),
    );
    const networkGone = await docker
      .getNetwork(network)
      .inspect()
      .then(
        () => false,
        () => true,
      );
    expect(networkGone).toBe(true);
  });

  it('stops a MongoDB service before anything starts, with the image to load', async () => {
    const loaded = await requireMongoImage(docker).catch(() => undefined);
    if (loaded) return console.warn(`a MongoDB image (${loaded}) is loaded: nothing to block`);
    const dir = join(root, 'mongo-repo');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: 'notes',
        scripts: { start: 'node index.js' },
        dependencies: { express: '4', mongoose: '8' },
      }),
    );
    writeFileSync(join(dir, 'index.js'), "require('express')().listen(3000);\n");
    const fingerprint = await auditRepository(dir);
    const error = await ensureBackingServices({
      docker,
      dataDir: join(root, 'data'),
      projectId: `${projectId}-mongo`,
      environment,
      network: `${network}-mongo`,
      service: fingerprint.services[0]!,
      fingerprint,
      repoDir: dir,
      redactor: new Redactor(),
    }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(OfflineInputMissingError);
    expect((error as OfflineInputMissingError).input).toEqual({
      kind: 'backing-service',
      name: 'mongodb',
    });
    expect((error as OfflineInputMissingError).remedy).toMatch(/docker load -i/);
    // Nothing was made: not even the network.
    const made = await docker
      .getNetwork(`${network}-mongo`)
      .inspect()
      .then(
        () => true,
        () => false,
      );
    expect(made).toBe(false);
  });
});
