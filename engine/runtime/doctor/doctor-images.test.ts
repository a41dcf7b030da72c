import Docker from 'dockerode';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDpkgStatus } from '../../tools/base-images/debian-packages.ts';
import { listStandIns } from '../../tools/base-images/publish.ts';
import { FAMILIES } from '../../tools/base-images/stand-ins/catalog.ts';
import type { DoctorDocker } from './doctor-engine.ts';
import { checkBackingServices, checkStandIns } from './doctor-images.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'prodsprint-doctor-images-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A dpkg status file with exactly these packages installed (name → version). */
function dpkg(installed: Record<string, string>) {
  const text = Object.entries(installed)
    .map(
      ([name, version]) =>
        `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}`,
    )
    .join('\n\n');
  return () => parseDpkgStatus(text, 'amd64');
}

/** An engine that does not answer: a socket path nothing listens on. */
const noEngine = () =>
  new Docker({ socketPath: join(root, 'no-such.sock'), timeout: 1000 }) as DoctorDocker;

/** An engine that answers with these image tags (what `docker images` would list). */
const engineWith = (tags: string[]): DoctorDocker =>
  ({
    version: async () => ({ Version: '20.10.24', ApiVersion: '1.41' }),
    listImages: async () => [{ RepoTags: tags }],
  }) as unknown as DoctorDocker;

describe('doctor: stand-in families', () => {
  it('given this machine, then one check per family, each as the catalog says', async () => {
    // Time enough for a loaded test machine; doctor itself gives the catalog 2 s.
    const checks = await checkStandIns(root, 60_000);
    expect(checks.map((check) => check.id)).toEqual(
      FAMILIES.map((family) => `stand-in.${family.name}`),
    );
    const catalog = await listStandIns({ dataDir: root });
    for (const check of checks) {
      const row = catalog.find((r) => `stand-in.${r.family}` === check.id)!;
      expect(check.required).toBe(false);
      if (row.available) expect(check).toMatchObject({ status: 'ok', detail: row.standsIn });
      else
        expect(check).toMatchObject({
          status: 'warn',
          detail: expect.stringContaining(row.reason!),
          remedy: expect.stringContaining('registry.mirror'),
        });
    }
  });

  it('given a catalog slower than its time limit, then one warning instead of a wait', async () => {
    expect(await checkStandIns(root, 1)).toEqual([
      {
        id: 'stand-ins',
        title: 'Stand-in base images',
        status: 'warn',
        required: false,
        detail: 'the stand-in catalog took longer than 0.001 s to read (this machine is busy)',
        remedy: 'run `prodsprint images list`, which waits for it',
      },
    ]);
  });
});

describe('doctor: backing services', () => {
  it('given every host package, then PostgreSQL, MariaDB, Redis and RabbitMQ can be built, naming the packages', async () => {
    const checks = await checkBackingServices(
      noEngine(),
      dpkg({
        'postgresql-13': '13.1',
        'postgresql-15': '15.18-0+deb12u1',
        'postgresql-client-15': '15.18-0+deb12u1',
        'mariadb-server': '1:10.11.19',
        'mariadb-client': '1:10.11.19',
        'redis-server': '5:7.0.15',
        'rabbitmq-server': '3.10.8',
      }),
    );
    expect(checks.slice(0, 4).map((c) => [c.id, c.status, c.detail])).toEqual([
      [
        'backing-service.postgres',
        'ok',
        'local/postgres:base can be built here from postgresql-15 15.18-0+deb12u1, postgresql-client-15 15.18-0+deb12u1',
      ],
      [
        'backing-service.mysql',
        'ok',
        'local/mariadb:base can be built here from mariadb-server 1:10.11.19, mariadb-client 1:10.11.19',
      ],
      [
        'backing-service.redis',
        'ok',
        'local/redis:base can be built here from redis-server 5:7.0.15',
      ],
      [
        'backing-service.rabbitmq',
        'ok',
        'local/rabbitmq:base can be built here from rabbitmq-server 3.10.8',
      ],
    ]);
  });

  it('given missing packages, then each is a warning whose remedy installs exactly those', async () => {
    const checks = await checkBackingServices(noEngine(), dpkg({ 'mariadb-server': '1:10.11.19' }));
    const byId = Object.fromEntries(checks.map((check) => [check.id, check]));
    expect(byId['backing-service.postgres']).toMatchObject({
      status: 'warn',
      required: false,
      remedy: 'apt-get install -y --no-install-recommends postgresql-15 postgresql-client-15',
    });
    expect(byId['backing-service.mysql']).toMatchObject({
      status: 'warn',
      detail:
        'mariadb-client not installed: a repository that uses MySQL (MariaDB) is blocked at the tests stage',
      remedy: 'apt-get install -y --no-install-recommends mariadb-client',
    });
    expect(byId['backing-service.redis']?.remedy).toBe(
      'apt-get install -y --no-install-recommends redis-server',
    );
    expect(byId['backing-service.rabbitmq']?.remedy).toBe(
      'apt-get install -y --no-install-recommends rabbitmq-server',
    );
  });

  it('given no dpkg database (not Debian), then the services say so rather than failing', async () => {
    const checks = await checkBackingServices(noEngine(), () => {
      throw new Error('ENOENT: /var/lib/dpkg/status');
    });
    expect(checks[0]).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('cannot read the dpkg database (ENOENT'),
    });
  });

  it('given no engine answering, then MongoDB says it cannot tell, and how to supply it', async () => {
    const checks = await checkBackingServices(noEngine(), dpkg({}));
    expect(checks.at(-1)).toMatchObject({
      id: 'backing-service.mongodb',
      status: 'warn',
      detail: expect.stringMatching(
        /^cannot tell whether a mongo:<version> image is loaded: no Docker Engine answered/,
      ),
      remedy: expect.stringContaining('docker load -i'),
    });
  });

  it('given an engine without a mongo image, then MongoDB warns with the docker load remedy', async () => {
    const checks = await checkBackingServices(engineWith(['redis:7', 'node:20-slim']), dpkg({}));
    expect(checks.at(-1)).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('no mongo:<version> image is loaded on the Docker Engine'),
      remedy: expect.stringContaining('docker load -i mongo-7.tar'),
    });
  });

  it('given an engine with mongo images, then MongoDB is ok and names the newest', async () => {
    const checks = await checkBackingServices(engineWith(['mongo:6.0', 'mongo:7.0']), dpkg({}));
    expect(checks.at(-1)).toMatchObject({
      status: 'ok',
      detail: 'mongo:7.0 is loaded on the Docker Engine',
    });
  });
});
