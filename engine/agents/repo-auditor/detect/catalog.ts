/**
 * What a dependency name means. Ordered lists: the first match wins, so a framework built on
 * another (NestJS on Express, Next.js on React) is listed before it. Names are as declared in
 * the manifest (npm names, PEP 503-normalised Python names, Go module paths without /vN,
 * Maven/Gradle artifact ids or plugin ids).
 */
import type { Ecosystem } from '../manifest.ts';

export type Catalog = Record<
  Ecosystem,
  ReadonlyArray<readonly [dependency: string, meaning: string]>
>;

export const FRAMEWORKS: Catalog = {
  node: [
    ['@nestjs/core', 'nestjs'],
    ['next', 'nextjs'],
    ['fastify', 'fastify'],
    ['hono', 'hono'],
    ['koa', 'koa'],
    ['express', 'express'],
  ],
  python: [
    ['django', 'django'],
    ['fastapi', 'fastapi'],
    ['flask', 'flask'],
    ['celery', 'celery'],
  ],
  go: [
    ['github.com/gin-gonic/gin', 'gin'],
    ['github.com/labstack/echo', 'echo'],
    ['github.com/go-chi/chi', 'chi'],
    ['github.com/gofiber/fiber', 'fiber'],
  ],
  jvm: [
    ['org.springframework.boot', 'spring-boot'],
    ['spring-boot-starter-parent', 'spring-boot'],
    ['spring-boot-starter-web', 'spring-boot'],
    ['spring-boot-starter-webflux', 'spring-boot'],
    ['spring-boot-starter', 'spring-boot'],
  ],
};

export const QUEUES: Catalog = {
  node: [
    ['bullmq', 'bullmq'],
    ['bull', 'bull'],
    ['kafkajs', 'kafka'],
    ['amqplib', 'rabbitmq'],
    ['amqp-connection-manager', 'rabbitmq'],
    ['@aws-sdk/client-sqs', 'sqs'],
    ['nats', 'nats'],
  ],
  python: [
    ['celery', 'celery'],
    ['rq', 'rq'],
    ['dramatiq', 'dramatiq'],
    ['kafka-python', 'kafka'],
    ['confluent-kafka', 'kafka'],
    ['aiokafka', 'kafka'],
    ['pika', 'rabbitmq'],
    ['aio-pika', 'rabbitmq'],
  ],
  go: [
    ['github.com/segmentio/kafka-go', 'kafka'],
    ['github.com/IBM/sarama', 'kafka'],
    ['github.com/Shopify/sarama', 'kafka'],
    ['github.com/rabbitmq/amqp091-go', 'rabbitmq'],
    ['github.com/streadway/amqp', 'rabbitmq'],
    ['github.com/nats-io/nats.go', 'nats'],
    ['github.com/hibiken/asynq', 'asynq'],
  ],
  jvm: [
    ['spring-kafka', 'kafka'],
    ['kafka-clients', 'kafka'],
    ['spring-boot-starter-amqp', 'rabbitmq'],
  ],
};

export const ORMS: Catalog = {
  node: [
    ['@prisma/client', 'prisma'],
    ['prisma', 'prisma'],
    ['typeorm', 'typeorm'],
    ['sequelize', 'sequelize'],
    ['drizzle-orm', 'drizzle'],
    ['@mikro-orm/core', 'mikro-orm'],
    ['objection', 'objection'],
    ['knex', 'knex'],
  ],
  python: [
    ['sqlalchemy', 'sqlalchemy'],
    ['sqlmodel', 'sqlmodel'],
    ['flask-sqlalchemy', 'sqlalchemy'],
    ['tortoise-orm', 'tortoise'],
    ['peewee', 'peewee'],
  ],
  go: [
    ['gorm.io/gorm', 'gorm'],
    ['entgo.io/ent', 'ent'],
    ['github.com/uptrace/bun', 'bun'],
  ],
  jvm: [
    ['spring-boot-starter-data-jpa', 'jpa'],
    ['hibernate-core', 'hibernate'],
  ],
};

/** Dependencies that are themselves a migrations tool (tool name). */
export const MIGRATION_DEPS: Catalog = {
  node: [
    ['prisma', 'prisma'],
    ['knex', 'knex'],
    ['sequelize-cli', 'sequelize'],
    ['drizzle-kit', 'drizzle-kit'],
    ['node-pg-migrate', 'node-pg-migrate'],
    ['db-migrate', 'db-migrate'],
    ['umzug', 'umzug'],
    ['typeorm', 'typeorm'],
  ],
  python: [
    ['alembic', 'alembic'],
    ['flask-migrate', 'alembic'],
    ['yoyo-migrations', 'yoyo'],
  ],
  go: [
    ['github.com/golang-migrate/migrate', 'golang-migrate'],
    ['github.com/pressly/goose', 'goose'],
    ['ariga.io/atlas', 'atlas'],
  ],
  jvm: [
    ['flyway-core', 'flyway'],
    ['liquibase-core', 'liquibase'],
  ],
};

export const TEST_FRAMEWORKS: Catalog = {
  node: [
    ['vitest', 'vitest'],
    ['jest', 'jest'],
    ['mocha', 'mocha'],
    ['ava', 'ava'],
    ['tap', 'tap'],
  ],
  python: [['pytest', 'pytest']],
  go: [],
  jvm: [
    ['spring-boot-starter-test', 'junit'],
    ['junit-jupiter', 'junit'],
    ['junit', 'junit'],
    ['kotest-runner-junit5', 'kotest'],
  ],
};

/**
 * Libraries that make a service emit HTTP request metrics, to the metric dialect they write
 * (templates/observability/metric-dialects.yaml names the metrics and labels of each). OTel
 * first: an app that has both exports through OTLP, which the plan's collector receives. A bare
 * Prometheus client (prom-client, client_golang) is not here: it exports no HTTP metrics of its
 * own.
 */
export const METRICS: Catalog = {
  node: [
    ['@opentelemetry/auto-instrumentations-node', 'otel'],
    ['@opentelemetry/instrumentation-http', 'otel'],
    ['express-prom-bundle', 'express-prom-bundle'],
  ],
  python: [
    ['opentelemetry-instrumentation-fastapi', 'otel'],
    ['opentelemetry-instrumentation-django', 'otel'],
    ['opentelemetry-instrumentation-flask', 'otel'],
    ['opentelemetry-distro', 'otel'],
    ['prometheus-fastapi-instrumentator', 'fastapi-instrumentator'],
    ['starlette-exporter', 'starlette-exporter'],
    ['prometheus-flask-exporter', 'flask-exporter'],
    ['django-prometheus', 'django-prometheus'],
  ],
  go: [
    ['go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp', 'otel'],
    ['go.opentelemetry.io/contrib/instrumentation/github.com/gin-gonic/gin/otelgin', 'otel'],
  ],
  jvm: [
    ['opentelemetry-spring-boot-starter', 'otel'],
    ['micrometer-registry-otlp', 'otel'],
    ['micrometer-registry-prometheus', 'micrometer'],
  ],
};

/** First entry of `catalog` declared in `deps`, matching Go modules without their major suffix. */
export function lookup<T>(
  catalog: ReadonlyArray<readonly [string, string]>,
  deps: Map<string, T>,
): { meaning: string; dependency: string; at: T } | undefined {
  for (const [dependency, meaning] of catalog) {
    const at = deps.get(dependency) ?? findGoMajor(deps, dependency);
    if (at !== undefined) return { meaning, dependency, at };
  }
  return undefined;
}

export function lookupAll<T>(
  catalog: ReadonlyArray<readonly [string, string]>,
  deps: Map<string, T>,
): Array<{ meaning: string; at: T }> {
  const out = new Map<string, T>();
  for (const [dependency, meaning] of catalog) {
    const at = deps.get(dependency) ?? findGoMajor(deps, dependency);
    if (at !== undefined && !out.has(meaning)) out.set(meaning, at);
  }
  return [...out].map(([meaning, at]) => ({ meaning, at }));
}

function findGoMajor<T>(deps: Map<string, T>, dependency: string): T | undefined {
  if (!dependency.includes('/')) return undefined;
  for (const [name, at] of deps)
    if (name.startsWith(`${dependency}/v`) && /\/v\d+$/.test(name)) return at;
  return undefined;
}
