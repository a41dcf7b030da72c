/**
 * How each backing service runs from its image (issue 14), for both users: the throwaway ones of
 * a test run (ephemeral-datastores.ts) and the kept ones of a local environment
 * (environments/local/backing-services.ts). Per datastore: the image (built from this host's
 * packages, or for MongoDB, which Debian does not package, one a person loaded), its port, the
 * env that sets its credentials, where its data lives, and how to tell it is ready.
 */
import type Docker from 'dockerode';
import { readFileSync } from 'node:fs';
import { OfflineInputMissingError } from '../../system/offline-input.ts';
import { unframeDockerLogs } from '../../tools/docker-logs.ts';
import { ensureDatastoreImage, POSTGRES_PORT, REDIS_PORT } from '../../tools/base-images/index.ts';
import { ensureMariadbImage, MARIADB_PORT } from '../../tools/base-images/mariadb-base.ts';
import { ensureRabbitmqImage, RABBITMQ_PORT } from '../../tools/base-images/rabbitmq-base.ts';
import { execIn } from './container-exec.ts';
import type { Datastore } from './datastores.ts';

export interface Credentials {
  user: string | null;
  password: string | null;
  /** Database name; the vhost for RabbitMQ. */
  database: string | null;
}

export interface DatastoreKind {
  datastore: Datastore;
  /** For people: `PostgreSQL`, `MySQL (MariaDB)`, … */
  title: string;
  port: number;
  /** The user the server runs as; undefined keeps the image's own (MongoDB's switches itself). */
  user: string | undefined;
  /**
   * /tmp in memory: RabbitMQ's entrypoint writes the password there. Not for PostgreSQL, whose
   * migrations go into /tmp through the archive API, which cannot write into a tmpfs.
   */
  tmpfs: boolean;
  /** Where the server keeps its data: a volume's mount point in an environment. */
  dataDir: string;
  /** Credentials a new instance gets; the password is generated when `password` is true. */
  credentials: { user: string | null; password: boolean; database: string | null };
  image(docker: Docker, onProgress: (line: string) => void): Promise<string>;
  env(credentials: Credentials): string[];
  /** Entrypoint and command for an instance whose data must survive a new container. */
  persistent?: { entrypoint: string[] };
  ready(docker: Docker, container: Docker.Container, credentials: Credentials): Promise<boolean>;
}

const PERSISTENT_POSTGRES = new URL('./postgres-persistent.sh', import.meta.url);
export const MONGODB_PORT = 27017;

export const KINDS: Record<Datastore, DatastoreKind> = {
  postgres: {
    datastore: 'postgres',
    title: 'PostgreSQL',
    tmpfs: false,
    port: POSTGRES_PORT,
    user: '1000:1000',
    dataDir: '/var/lib/postgresql',
    credentials: { user: 'app', password: true, database: 'app' },
    image: async (docker, onProgress) =>
      (await ensureDatastoreImage(docker, 'postgres', { onProgress })).image,
    env: (c) => [
      `POSTGRES_USER=${c.user}`,
      `POSTGRES_DB=${c.database}`,
      `POSTGRES_PASSWORD=${c.password}`,
    ],
    // The image's entrypoint makes a new cluster every start (tests); this one keeps it.
    persistent: {
      entrypoint: ['/bin/sh', '-c', readFileSync(PERSISTENT_POSTGRES, 'utf8'), 'postgres'],
    },
    ready: async (docker, container, c) => {
      // Over TCP, as the app will connect; the database exists before the server listens.
      const probe = ['pg_isready', '-q', '-h', '127.0.0.1', '-p', String(POSTGRES_PORT)];
      const args = [...probe, '-U', c.user ?? '', '-d', c.database ?? ''];
      return (await execIn(docker, container, args)).exitCode === 0;
    },
  },
  mysql: {
    datastore: 'mysql',
    title: 'MySQL (MariaDB)',
    tmpfs: false,
    port: MARIADB_PORT,
    user: '1000:1000',
    dataDir: '/var/lib/mysql',
    credentials: { user: 'app', password: true, database: 'app' },
    image: async (docker, onProgress) => (await ensureMariadbImage(docker, { onProgress })).image,
    env: (c) => [
      `MARIADB_USER=${c.user}`,
      `MARIADB_DATABASE=${c.database}`,
      `MARIADB_PASSWORD=${c.password}`,
    ],
    ready: async (docker, container, c) => {
      // As the app logs in, over TCP; MYSQL_PWD keeps the password off the command line.
      const sql = ['mariadb', '-h', '127.0.0.1', '-u', c.user ?? '', '-e', 'SELECT 1'];
      const env = { MYSQL_PWD: c.password ?? '' };
      return (await execIn(docker, container, [...sql, c.database ?? ''], { env })).exitCode === 0;
    },
  },
  redis: {
    datastore: 'redis',
    title: 'Redis',
    tmpfs: false,
    port: REDIS_PORT,
    user: '1000:1000',
    dataDir: '/app',
    credentials: { user: null, password: false, database: null },
    image: async (docker, onProgress) =>
      (await ensureDatastoreImage(docker, 'redis', { onProgress })).image,
    env: () => [],
    // An append-only file in the volume (/app, the image's uid-1000 home) instead of nothing.
    persistent: {
      entrypoint: [
        '/usr/local/bin/redis-server',
        ...['--bind', '0.0.0.0', '--port', String(REDIS_PORT), '--protected-mode', 'no'],
        ...['--appendonly', 'yes', '--dir', '/app'],
      ],
    },
    // The image has no client to probe with; the server says when it accepts connections.
    ready: async (_docker, container) =>
      (await logsOf(container)).includes('Ready to accept connections'),
  },
  rabbitmq: {
    datastore: 'rabbitmq',
    title: 'RabbitMQ',
    tmpfs: true,
    port: RABBITMQ_PORT,
    user: '1000:1000',
    dataDir: '/var/lib/rabbitmq',
    credentials: { user: 'app', password: true, database: '/' },
    image: async (docker, onProgress) => (await ensureRabbitmqImage(docker, { onProgress })).image,
    env: (c) => [
      `RABBITMQ_DEFAULT_USER=${c.user}`,
      `RABBITMQ_DEFAULT_PASS=${c.password}`,
      `RABBITMQ_DEFAULT_VHOST=${c.database}`,
    ],
    // Logged once the listeners are up and the definitions (the user) are imported.
    ready: async (_docker, container) =>
      (await logsOf(container)).includes('Server startup complete'),
  },
  mongodb: {
    datastore: 'mongodb',
    title: 'MongoDB',
    tmpfs: false,
    port: MONGODB_PORT,
    user: undefined,
    dataDir: '/data/db',
    credentials: { user: 'app', password: true, database: 'app' },
    image: async (docker) => requireMongoImage(docker),
    env: (c) => [
      `MONGO_INITDB_ROOT_USERNAME=${c.user}`,
      `MONGO_INITDB_ROOT_PASSWORD=${c.password}`,
      `MONGO_INITDB_DATABASE=${c.database}`,
    ],
    ready: async (docker, container) => {
      // The image's entrypoint first runs a server on 127.0.0.1 only, to create the user: ask
      // on the container's network address, where only the final server listens.
      const networks = (await container.inspect()).NetworkSettings.Networks;
      const address = Object.values(networks).find((n) => n.IPAddress)?.IPAddress;
      if (!address) return false;
      const ping = `mongosh --quiet --host ${address} --eval 'db.runCommand({ ping: 1 }).ok' || mongo --quiet --host ${address} --eval 'db.runCommand({ ping: 1 }).ok'`;
      const result = await execIn(docker, container, ['sh', '-c', ping], { user: '' });
      return result.exitCode === 0 && result.stdout.trim().endsWith('1');
    },
  },
};

/** Tags ProdSprint looks for, newest first: what `docker load` of the public image gives. */
const MONGO_REPOSITORIES = [
  'mongo',
  'library/mongo',
  'docker.io/library/mongo',
  'mongodb/mongodb-community-server',
];

/**
 * A MongoDB image already on the engine (`mongo:<version>`), newest version first. MongoDB has
 * no Debian package, so it cannot be built here: when none is loaded, the sprint stops with the
 * remedy that says how to supply one.
 */
export async function requireMongoImage(docker: Docker): Promise<string> {
  const images = await docker.listImages();
  const tags = images
    .flatMap((image) => image.RepoTags ?? [])
    .filter((tag) => MONGO_REPOSITORIES.includes(tag.slice(0, tag.lastIndexOf(':'))))
    .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
  const found = tags[0];
  if (found) return found;
  throw new OfflineInputMissingError(
    { kind: 'backing-service', name: 'mongodb' },
    'the service uses MongoDB, which has no Debian package, so no image can be built on this machine, and no mongo:<version> image is loaded on the Docker Engine',
    'load a MongoDB image into the Docker Engine: on a machine with registry access run `docker pull mongo:7 && docker save -o mongo-7.tar mongo:7`, bring mongo-7.tar here and run `docker load -i mongo-7.tar` (any image tagged mongo:<version> is used); or set the registry mirror setting (registry.mirror) to a mirror that has library/mongo, so mongo:<version> can be pulled through it',
  );
}

/** The container's output so far, stdout and stderr (un-multiplexed). */
export async function logsOf(container: Docker.Container): Promise<string> {
  return unframeDockerLogs(
    (await container.logs({ stdout: true, stderr: true, follow: false })) as Buffer,
  );
}
