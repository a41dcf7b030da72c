/**
 * Expected fingerprints of the topology fixtures (test/fixtures/repos/topology.ts): the service
 * claims the topology changes, and every process with its role, service, confidence, port,
 * image, command, evidence and reason. Each value was checked by hand against the fixture's
 * files and lines.
 */
import type { FingerprintView } from './describe-fingerprint.ts';

export const EXPECTED_TOPOLOGY: Record<string, FingerprintView> = {
  zTopoCelery: {
    services: {
      '.': {
        name: 'web',
        framework: '"fastapi" @ requirements.txt:1',
        port: '8000 @ Dockerfile:7',
        dockerfile:
          '{"path":"Dockerfile","baseImage":"python:3.12-slim","exposedPorts":[8000],"user":"nobody","healthcheck":null} @ Dockerfile:1',
        build:
          '{"context":".","dockerfile":"Dockerfile","target":null,"args":{},"source":"compose"} @ docker-compose.yml:3',
        startCommand: '"uvicorn app.main:app --host 0.0.0.0 --port 8000" @ Dockerfile:9',
        healthEndpoint: '"/health" @ app/main.py:6',
        role: '"web" @ docker-compose.yml:2,Dockerfile:9',
      },
    },
    monorepoTool: 'null',
    ciConfigs: [],
    composeFiles: [
      'docker-compose.yml web image=- build=. ports=8000 @ docker-compose.yml:2',
      'docker-compose.yml worker image=- build=. ports= @ docker-compose.yml:9',
      'docker-compose.yml beat image=- build=. ports= @ docker-compose.yml:14',
      'docker-compose.yml flower image=- build=. ports=5555 @ docker-compose.yml:19',
      'docker-compose.yml db image=postgres:16-alpine build=- ports= @ docker-compose.yml:24',
      'docker-compose.yml redis image=redis:7-alpine build=- ports= @ docker-compose.yml:28',
    ],
    k8sManifests: [],
    helmCharts: [],
    processes: [
      'beat scheduler service=web high port=- image=- command=celery -A app.tasks beat --loglevel=info @ docker-compose.yml:14,docker-compose.yml:16 :: runs Celery beat (a scheduler)',
      'db backing-store service=- high port=5432 image=postgres:16-alpine command=- @ docker-compose.yml:24 :: the PostgreSQL image (postgres:16-alpine)',
      'flower dev-tool service=web high port=5555 image=- command=celery -A app.tasks flower --port=5555 @ docker-compose.yml:19,docker-compose.yml:21 :: runs Flower (a Celery dashboard)',
      'redis backing-store service=- high port=6379 image=redis:7-alpine command=- @ docker-compose.yml:28 :: the Redis image (redis:7-alpine)',
      'web web service=web high port=8000 image=- command=uvicorn app.main:app --host 0.0.0.0 --port 8000 @ docker-compose.yml:2,Dockerfile:9 :: runs an HTTP server: `uvicorn app.main:app --host 0.0.0.0 --port 8000`',
      'worker worker service=web high port=- image=- command=/start-worker @ docker-compose.yml:9,docker-compose.yml:11,scripts/start-worker.sh:4 :: runs a Celery worker: `exec celery -A app.tasks worker --loglevel=info --concurrency=2`',
    ],
    gaps: [
      'no-ci - @ -',
      'no-tests . @ requirements.txt:1',
      'orm-without-migrations . @ requirements.txt:6',
      'undocumented-env-var . @ app/tasks.py:5',
    ],
  },
  zTopoDevOnly: {
    services: {
      '.': {
        name: 'newsletter',
        framework: '"express" @ package.json:7',
        port: '8080 @ src/server.js:5',
        dockerfile:
          '{"path":"Dockerfile","baseImage":"node:20-slim","exposedPorts":[8080],"user":"node","healthcheck":null} @ Dockerfile:1',
        build:
          '{"context":".","dockerfile":"Dockerfile","target":null,"args":{},"source":"compose"} @ docker-compose.yml:3',
        startCommand: '"npm start" @ Dockerfile:7',
        healthEndpoint: '"/health" @ src/server.js:4',
        role: '"web" @ docker-compose.yml:2,Dockerfile:7',
      },
    },
    monorepoTool: 'null',
    ciConfigs: [],
    composeFiles: [
      'docker-compose.dev.yml app image=- build=- ports= @ docker-compose.dev.yml:2',
      'docker-compose.dev.yml mailhog image=mailhog/mailhog:v1.0.1 build=- ports=8025 @ docker-compose.dev.yml:6',
      'docker-compose.yml app image=- build=. ports=8080 @ docker-compose.yml:2',
    ],
    k8sManifests: [],
    helmCharts: [],
    processes: [
      'app web service=newsletter high port=8080 image=- command=npm start @ docker-compose.yml:2,Dockerfile:7 :: an HTTP server built with express, on port 8080',
      'app-dev dev-tool service=newsletter high port=8080 image=- command=npm run dev @ docker-compose.dev.yml:2,docker-compose.dev.yml:3,package.json:5 :: a hot-reload development server, only for development (docker-compose.dev.yml): runs a development server that reloads on change: `nodemon --watch src src/server.js`',
      'mailhog dev-tool service=- high port=8025 image=mailhog/mailhog:v1.0.1 command=- @ docker-compose.dev.yml:6 :: the MailHog (mail catcher) image (mailhog/mailhog:v1.0.1)',
    ],
    gaps: ['no-ci - @ -', 'no-tests . @ package.json:1'],
  },
  zTopoK8s: {
    services: {
      '.': {
        name: 'billing',
        framework: '"net/http" @ main.go:14',
        port: '8080 @ main.go:14',
        dockerfile:
          '{"path":"Dockerfile","baseImage":"gcr.io/distroless/static","exposedPorts":[8080],"user":"nonroot","healthcheck":null} @ Dockerfile:6',
        build:
          '{"context":".","dockerfile":"Dockerfile","target":null,"args":{},"source":"dockerfile"} @ Dockerfile:6',
        startCommand: '"/billing" @ Dockerfile:10',
        healthEndpoint: '"/healthz" @ main.go:13',
        role: '"web" @ deploy/k8s/deployment.yaml:2,deploy/k8s/deployment.yaml:15,Dockerfile:10',
      },
    },
    monorepoTool: 'null',
    ciConfigs: [],
    composeFiles: [],
    k8sManifests: [
      'Deployment/billing @ deploy/k8s/deployment.yaml:2',
      'CronJob/monthly-invoices @ deploy/k8s/invoices-cronjob.yaml:2',
      'Job/billing-migrate @ deploy/k8s/migrate-job.yaml:2',
      'StatefulSet/billing-cache @ deploy/k8s/redis.yaml:2',
    ],
    helmCharts: ['charts/billing billing 0.2.0 1.4.0 @ charts/billing/Chart.yaml:2'],
    processes: [
      'billing web service=billing high port=8080 image=ghcr.io/acme/billing:1.4.0 command=/billing @ deploy/k8s/deployment.yaml:2,deploy/k8s/deployment.yaml:15,Dockerfile:10 :: a Deployment running the image of billing (an HTTP server built with net/http, on port 8080)',
      'billing-cache backing-store service=- high port=6379 image=redis:7.2 command=- @ deploy/k8s/redis.yaml:2,deploy/k8s/redis.yaml:16 :: the Redis image (redis:7.2)',
      'billing-migrate job service=billing high port=- image=ghcr.io/acme/billing:1.4.0 command=migrate @ deploy/k8s/migrate-job.yaml:2,deploy/k8s/migrate-job.yaml:10,charts/billing/templates/migrate-job.yaml:2,charts/billing/templates/migrate-job.yaml:12 :: a Kubernetes Job',
      'monthly-invoices scheduler service=billing high port=- image=ghcr.io/acme/billing:1.4.0 command=invoices @ deploy/k8s/invoices-cronjob.yaml:2,deploy/k8s/invoices-cronjob.yaml:13 :: a Kubernetes CronJob',
    ],
    gaps: ['no-ci - @ -', 'no-tests . @ go.mod:1'],
  },
  zTopoNotTheApp: {
    services: {
      '.': {
        name: 'accounts-api',
        framework: '"express" @ package.json:4',
        port: '3000 @ src/main.js:5',
        dockerfile:
          '{"path":"api.Dockerfile","baseImage":"node:20-slim","exposedPorts":[3000],"user":"node","healthcheck":null} @ api.Dockerfile:1',
        build:
          '{"context":".","dockerfile":"api.Dockerfile","target":null,"args":{},"source":"compose"} @ compose.yaml:15',
        startCommand: '"node src/main.js" @ api.Dockerfile:7',
        healthEndpoint: '"/health" @ src/main.js:4',
        role: '"web" @ compose.yaml:14,api.Dockerfile:7',
      },
    },
    monorepoTool: 'null',
    ciConfigs: [],
    composeFiles: [
      'compose.yaml maildev image=- build=. ports=1080 @ compose.yaml:2',
      'compose.yaml e2e image=- build=. ports= @ compose.yaml:8',
      'compose.yaml api image=- build=. ports=3000 @ compose.yaml:14',
    ],
    k8sManifests: [],
    helmCharts: [],
    processes: [
      'api web service=accounts-api high port=3000 image=- command=node src/main.js @ compose.yaml:14,api.Dockerfile:7 :: an HTTP server built with express, on port 3000',
      'e2e test-runner service=accounts-api high port=- image=- command=npx playwright test @ compose.yaml:8,Dockerfile.e2e:1 :: built FROM the Playwright image (mcr.microsoft.com/playwright:v1.45.0-jammy)',
      'maildev dev-tool service=- high port=1080 image=- command=maildev @ compose.yaml:2,maildev.Dockerfile:4 :: runs a mail catcher: `maildev`',
    ],
    gaps: ['no-ci - @ -'],
  },
  zTopoOneAppThreeWays: {
    services: {
      '.': {
        name: 'thumbnails',
        framework: '"express" @ package.json:8',
        port: '3000 @ src/server.js:5',
        dockerfile:
          '{"path":"Dockerfile","baseImage":"node:20-slim","exposedPorts":[3000],"user":"node","healthcheck":null} @ Dockerfile:10',
        build:
          '{"context":".","dockerfile":"Dockerfile","target":null,"args":{},"source":"compose"} @ compose.yaml:3',
        startCommand: '"node src/server.js" @ Dockerfile:17',
        healthEndpoint: '"/health" @ src/server.js:4',
        role: '"web" @ compose.yaml:2,Dockerfile:17',
      },
    },
    monorepoTool: 'null',
    ciConfigs: [],
    composeFiles: [
      'compose.dev.yaml api-dev image=- build=. ports=3000 @ compose.dev.yaml:2',
      'compose.yaml api image=- build=. ports=3000 @ compose.yaml:2',
      'compose.yaml worker image=- build=. ports= @ compose.yaml:6',
      'compose.yaml cache image=redis:7-alpine build=- ports= @ compose.yaml:11',
    ],
    k8sManifests: [],
    helmCharts: [],
    processes: [
      'api web service=thumbnails high port=3000 image=- command=node src/server.js @ compose.yaml:2,Dockerfile:17 :: an HTTP server built with express, on port 3000',
      'api-dev dev-tool service=thumbnails high port=3000 image=- command=npm run dev @ compose.dev.yaml:2,Dockerfile:8,package.json:5 :: a hot-reload development server, only for development (compose.dev.yaml): runs a development server that reloads on change: `nodemon src/server.js`',
      'cache backing-store service=- high port=6379 image=redis:7-alpine command=- @ compose.yaml:11 :: the Redis image (redis:7-alpine)',
      'worker worker service=thumbnails high port=- image=- command=npm run worker @ compose.yaml:6,compose.yaml:10,package.json:6,package.json:8 :: runs a worker (by its name): `node src/worker.js`; thumbnails uses bullmq',
    ],
    gaps: [
      'no-ci - @ -',
      'no-tests . @ package.json:1',
      'undocumented-env-var . @ src/worker.js:4',
    ],
  },
  zTopoProcfile: {
    services: {
      '.': {
        name: 'app',
        framework: '"flask" @ requirements.txt:1',
        port: '5000 @ requirements.txt:1',
        dockerfile: 'null',
        build: 'null',
        startCommand: '"gunicorn app:app --bind 0.0.0.0:$PORT" @ Procfile:1',
        healthEndpoint: '"/healthz" @ app.py:11',
        role: '"web" @ Procfile:1',
      },
    },
    monorepoTool: 'null',
    ciConfigs: [],
    composeFiles: [],
    k8sManifests: [],
    helmCharts: [],
    processes: [
      'clock scheduler service=app high port=- image=- command=python clock.py @ Procfile:4 :: a Procfile scheduler process; it runs a scheduler (by its name)',
      'release job service=app high port=- image=- command=flask --app app db upgrade @ Procfile:3 :: the Procfile `release` process (runs once before each release starts); it runs database migrations',
      'web web service=app high port=5000 image=- command=gunicorn app:app --bind 0.0.0.0:$PORT @ Procfile:1 :: the Procfile `web` process (the one that receives HTTP traffic); it runs an HTTP server; it listens on $PORT, set by the platform',
      'worker worker service=app high port=- image=- command=rq worker --url $REDIS_URL default @ Procfile:2 :: a Procfile background process; it runs an RQ worker',
    ],
    gaps: [
      'no-ci - @ -',
      'no-dockerfile . @ requirements.txt:1',
      'no-tests . @ requirements.txt:1',
      'undocumented-env-var . @ app.py:8',
    ],
  },
  zTopoSeed: {
    services: {
      '.': {
        name: 'catalog',
        framework: '"express" @ package.json:7',
        port: '4000 @ src/index.js:5',
        dockerfile:
          '{"path":"Dockerfile","baseImage":"node:20-slim","exposedPorts":[4000],"user":"node","healthcheck":null} @ Dockerfile:1',
        build:
          '{"context":".","dockerfile":"Dockerfile","target":null,"args":{},"source":"compose"} @ compose.yaml:3',
        startCommand: '"node src/index.js" @ Dockerfile:7',
        healthEndpoint: '"/healthz" @ src/index.js:4',
        role: '"web" @ compose.yaml:2,Dockerfile:7',
      },
    },
    monorepoTool: 'null',
    ciConfigs: [],
    composeFiles: [
      'compose.yaml api image=- build=. ports=4000 @ compose.yaml:2',
      'compose.yaml migrate image=- build=. ports= @ compose.yaml:9',
      'compose.yaml seed image=- build=. ports= @ compose.yaml:14',
      'compose.yaml db image=postgres:16 build=- ports= @ compose.yaml:19',
    ],
    k8sManifests: [],
    helmCharts: [],
    processes: [
      'api web service=catalog high port=4000 image=- command=node src/index.js @ compose.yaml:2,Dockerfile:7 :: an HTTP server built with express, on port 4000',
      'db backing-store service=- high port=5432 image=postgres:16 command=- @ compose.yaml:19 :: the PostgreSQL image (postgres:16)',
      'migrate job service=catalog high port=- image=- command=npx prisma migrate deploy @ compose.yaml:9,compose.yaml:11 :: other services wait for it to complete (depends_on: service_completed_successfully); it runs database migrations',
      'seed job service=catalog high port=- image=- command=npm run seed @ compose.yaml:14,compose.yaml:16,package.json:5 :: runs a data seed: `node prisma/seed.js`',
    ],
    gaps: ['no-ci - @ -', 'no-tests . @ package.json:1'],
  },
  zTopoSut: {
    services: {
      '.': {
        name: 'ledger-api',
        framework: '"express" @ package.json:4',
        port: '3000 @ src/server.js:5',
        dockerfile:
          '{"path":"Dockerfile","baseImage":"node:20-slim","exposedPorts":[3000],"user":"node","healthcheck":null} @ Dockerfile:1',
        build:
          '{"context":".","dockerfile":"Dockerfile","target":null,"args":{},"source":"compose"} @ docker-compose.test.yml:3',
        startCommand: '"node src/server.js" @ Dockerfile:8',
        healthEndpoint: '"/health" @ src/server.js:4',
        role: '"web" @ docker-compose.test.yml:2,Dockerfile:8',
      },
      tests: {
        name: 'sut',
        framework: 'null',
        port: 'null',
        dockerfile:
          '{"path":"tests/Dockerfile","baseImage":"alpine:3.20","exposedPorts":[],"user":null,"healthcheck":null} @ tests/Dockerfile:1',
        build:
          '{"context":"tests","dockerfile":"tests/Dockerfile","target":null,"args":{},"source":"compose"} @ docker-compose.test.yml:7',
        startCommand: '"/run-tests.sh" @ tests/Dockerfile:4',
        healthEndpoint: 'null',
        role: '"test-runner" @ docker-compose.test.yml:6',
      },
    },
    monorepoTool: 'null',
    ciConfigs: [],
    composeFiles: [
      'docker-compose.test.yml app image=- build=. ports=3000 @ docker-compose.test.yml:2',
      'docker-compose.test.yml sut image=- build=tests ports= @ docker-compose.test.yml:6',
    ],
    k8sManifests: [],
    helmCharts: [],
    processes: [
      'app web service=ledger-api high port=3000 image=- command=node src/server.js @ docker-compose.test.yml:2,Dockerfile:8 :: an HTTP server built with express, on port 3000',
      'sut test-runner service=sut high port=- image=- command=/run-tests.sh @ docker-compose.test.yml:6 :: its name says the system-under-test runner (`sut`)',
    ],
    gaps: [
      'no-ci - @ -',
      'no-tests . @ package.json:1',
      'undocumented-env-var . @ src/server.js:5',
    ],
  },
};
