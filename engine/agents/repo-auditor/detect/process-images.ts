/**
 * What a vendor image is, by its repository name (registry, tag and digest dropped): databases,
 * caches, brokers and search engines are backing stores; mail catchers, database consoles,
 * queue dashboards, cloud emulators and observability UIs are development tools; nginx, Traefik,
 * Caddy, HAProxy and Envoy are proxies; Playwright, Cypress, k6, Locust, Newman and Selenium are
 * test runners. Used for compose `image:`, container images, and the base image of a Dockerfile
 * a compose service builds (a `FROM postgres` image with init scripts is still a database).
 */
import type { ProcessRole } from '../fingerprint.ts';

export interface ImageRole {
  role: ProcessRole;
  /** What it is, for the reason ("PostgreSQL"). */
  label: string;
  /** The port the image serves on by default, if it serves one. */
  port: number | null;
}

type Entry = readonly [
  names: readonly string[],
  role: ProcessRole,
  label: string,
  port: number | null,
];

/** Matched against the repository path (`bitnami/postgresql`) and its last segment (`postgresql`). */
const CATALOG: readonly Entry[] = [
  [
    ['postgres', 'postgresql', 'postgis', 'timescaledb', 'timescaledb-ha', 'pgvector'],
    'backing-store',
    'PostgreSQL',
    5432,
  ],
  [['mysql', 'mysql-server', 'percona-server', 'percona'], 'backing-store', 'MySQL', 3306],
  [['mariadb'], 'backing-store', 'MariaDB', 3306],
  [
    ['redis', 'redis-stack', 'redis-stack-server', 'redismod', 'valkey', 'keydb', 'dragonfly'],
    'backing-store',
    'Redis',
    6379,
  ],
  [['memcached'], 'backing-store', 'Memcached', 11211],
  [['mongo', 'mongodb', 'mongodb-community-server'], 'backing-store', 'MongoDB', 27017],
  [['rabbitmq'], 'backing-store', 'RabbitMQ', 5672],
  [['kafka', 'cp-kafka', 'cp-server', 'redpanda'], 'backing-store', 'Kafka', 9092],
  [['zookeeper', 'cp-zookeeper'], 'backing-store', 'ZooKeeper', 2181],
  [['elasticsearch'], 'backing-store', 'Elasticsearch', 9200],
  [['opensearch'], 'backing-store', 'OpenSearch', 9200],
  [['nats'], 'backing-store', 'NATS', 4222],
  [['cassandra', 'scylla'], 'backing-store', 'Cassandra', 9042],
  [['couchdb'], 'backing-store', 'CouchDB', 5984],
  [['neo4j'], 'backing-store', 'Neo4j', 7687],
  [['influxdb'], 'backing-store', 'InfluxDB', 8086],
  [['clickhouse-server'], 'backing-store', 'ClickHouse', 8123],
  [['mssql/server'], 'backing-store', 'SQL Server', 1433],
  [['minio'], 'backing-store', 'MinIO', 9000],
  [['meilisearch'], 'backing-store', 'Meilisearch', 7700],
  [['typesense'], 'backing-store', 'Typesense', 8108],
  [['qdrant'], 'backing-store', 'Qdrant', 6333],
  [['milvus'], 'backing-store', 'Milvus', 19530],
  [['cockroach'], 'backing-store', 'CockroachDB', 26257],
  [['oracle-xe', 'oracle-free'], 'backing-store', 'Oracle Database', 1521],
  [['activemq', 'activemq-artemis'], 'backing-store', 'ActiveMQ', 61616],
  [['eclipse-mosquitto', 'emqx'], 'backing-store', 'MQTT broker', 1883],
  [['etcd'], 'backing-store', 'etcd', 2379],
  [['adminer'], 'dev-tool', 'Adminer (database console)', 8080],
  [['pgadmin4'], 'dev-tool', 'pgAdmin (database console)', 80],
  [['phpmyadmin'], 'dev-tool', 'phpMyAdmin (database console)', 80],
  [['mongo-express'], 'dev-tool', 'mongo-express (database console)', 8081],
  [['redis-commander', 'redisinsight'], 'dev-tool', 'Redis console', 8081],
  [['pgweb'], 'dev-tool', 'pgweb (database console)', 8081],
  [['mailhog'], 'dev-tool', 'MailHog (mail catcher)', 8025],
  [['maildev'], 'dev-tool', 'MailDev (mail catcher)', 1080],
  [['mailpit'], 'dev-tool', 'Mailpit (mail catcher)', 8025],
  [['mailcatcher', 'smtp4dev'], 'dev-tool', 'mail catcher', 1080],
  [['localstack'], 'dev-tool', 'LocalStack (cloud emulator)', 4566],
  [['flower'], 'dev-tool', 'Flower (Celery dashboard)', 5555],
  [['swagger-ui'], 'dev-tool', 'Swagger UI', 8080],
  [['kafka-ui', 'kafdrop'], 'dev-tool', 'Kafka console', 8080],
  [['prometheus'], 'dev-tool', 'Prometheus (local observability)', 9090],
  [['grafana'], 'dev-tool', 'Grafana (local observability)', 3000],
  [['jaegertracing/all-in-one', 'zipkin'], 'dev-tool', 'tracing UI', 16686],
  [
    ['opentelemetry-collector', 'opentelemetry-collector-contrib'],
    'dev-tool',
    'OpenTelemetry collector',
    4317,
  ],
  [['cadvisor', 'portainer', 'portainer-ce'], 'dev-tool', 'container console', 8080],
  [['wiremock', 'mockserver'], 'dev-tool', 'mock server', 8080],
  [['nginx', 'nginx-unprivileged'], 'proxy', 'nginx', 80],
  [['traefik'], 'proxy', 'Traefik', 80],
  [['caddy'], 'proxy', 'Caddy', 80],
  [['haproxy'], 'proxy', 'HAProxy', 80],
  [['envoy'], 'proxy', 'Envoy', 10000],
  [['httpd'], 'proxy', 'Apache httpd', 80],
  [['kong'], 'proxy', 'Kong', 8000],
  [['playwright'], 'test-runner', 'Playwright', null],
  [['k6'], 'test-runner', 'k6 (load tests)', null],
  [['locust'], 'test-runner', 'Locust (load tests)', null],
  [['newman'], 'test-runner', 'Newman (API tests)', null],
];

/** Image families whose every image runs tests (`mcr.microsoft.com/playwright/python`). */
const TEST_FAMILIES: ReadonlyArray<readonly [string, string]> = [
  ['selenium/', 'Selenium (browser tests)'],
  ['playwright/', 'Playwright'],
  ['cypress/', 'Cypress'],
];

const BY_NAME = new Map<string, ImageRole>();
for (const [names, role, label, port] of CATALOG)
  for (const name of names) BY_NAME.set(name, { role, label, port });

/**
 * `ghcr.io/acme/api:1.2@sha256:…` → `acme/api`; `postgres:16` → `postgres`; `library/redis` →
 * `redis`. The first segment is a registry when it has a `.` or `:` or is `localhost`.
 */
export function imageRepository(image: string): string {
  const noDigest = (image.split('@')[0] ?? '').toLowerCase();
  const parts = noDigest.split('/');
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0] ?? '')) parts.shift();
  const last = parts.pop() ?? '';
  const colon = last.indexOf(':');
  parts.push(colon < 0 ? last : last.slice(0, colon));
  if (parts[0] === 'library') parts.shift();
  return parts.join('/');
}

/** The role of a vendor image, or undefined when the image is not in the catalog. */
export function imageRole(image: string): ImageRole | undefined {
  const repository = imageRepository(image);
  if (repository === '' || repository.includes('$')) return undefined;
  for (const [prefix, label] of TEST_FAMILIES)
    if (repository.startsWith(prefix)) return { role: 'test-runner', label, port: null };
  return BY_NAME.get(repository) ?? BY_NAME.get(repository.slice(repository.lastIndexOf('/') + 1));
}
