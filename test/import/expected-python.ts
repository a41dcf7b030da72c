/**
 * Expected fingerprints of the Python fixture repositories (test/fixtures/repos), field by
 * field with evidence. Each value was checked by hand against the fixture's files and lines.
 */
import type { FingerprintView } from './describe-fingerprint.ts';

export const EXPECTED_PYTHON: Record<string, FingerprintView> = {
  pyFastapi: {
    services: {
      '.': {
        name: 'ledger',
        language: '"python" @ pyproject.toml:1',
        framework: '"fastapi" @ pyproject.toml:7',
        packageManager: '"poetry" @ poetry.lock:1',
        lockfile: '"poetry.lock" @ poetry.lock:1',
        port: '8000 @ app/main.py:17',
        dockerfile:
          '{"path":"Dockerfile","baseImage":"python:3.12-slim","exposedPorts":[8000],"user":"1000","healthcheck":"curl -f http://localhost:8000/health || exit 1"} @ Dockerfile:1',
        build:
          '{"context":".","dockerfile":"Dockerfile","target":null,"args":{},"source":"dockerfile"} @ Dockerfile:1',
        startCommand: '"uvicorn app.main:app --host 0.0.0.0 --port 8000" @ Dockerfile:8',
        healthEndpoint: '"/health" @ app/main.py:9',
        envVars: ['"DATABASE_URL" @ app/main.py:6,.env.example:1'],
        orm: '"sqlalchemy" @ pyproject.toml:9',
        migrations: '{"tool":"alembic","path":"migrations"} @ alembic.ini:1,pyproject.toml:10',
        queues: [],
        tests: '{"framework":"pytest","path":"tests"} @ tests/test_health.py:1,pyproject.toml:13',
        coverageConfig: '"pyproject.toml" @ pyproject.toml:15',
      },
    },
    monorepoTool: 'null',
    ciConfigs: ['github-actions .github/workflows/test.yaml'],
    composeFiles: [],
    k8sManifests: [],
    helmCharts: [],
    gaps: [],
  },
  pyDjango: {
    services: {
      '.': {
        name: 'app',
        language: '"python" @ requirements.txt:1',
        framework: '"django" @ requirements.txt:1',
        packageManager: '"pip" @ requirements.txt:1',
        lockfile: '"requirements.txt" @ requirements.txt:1',
        port: '8000 @ Procfile:1',
        dockerfile: 'null',
        build: 'null',
        startCommand: '"gunicorn mysite.wsgi --bind 0.0.0.0:8000" @ Procfile:1',
        healthEndpoint: '"/healthz/" @ mysite/urls.py:6',
        envVars: ['"DJANGO_SECRET_KEY" @ mysite/settings.py:3'],
        orm: '"django-orm" @ polls/models.py:4',
        migrations:
          '{"tool":"django","path":"polls/migrations"} @ polls/migrations/0001_initial.py:1',
        queues: [],
        tests: '{"framework":"unittest","path":"polls"} @ polls/tests.py:1',
        coverageConfig: 'null',
      },
    },
    monorepoTool: 'null',
    ciConfigs: ['jenkins Jenkinsfile'],
    composeFiles: [],
    k8sManifests: [],
    helmCharts: [],
    gaps: ['no-dockerfile . @ requirements.txt:1', 'undocumented-env-var . @ mysite/settings.py:3'],
  },
  pyFlask: {
    services: {
      '.': {
        name: 'inventory',
        language: '"python" @ pyproject.toml:1',
        framework: '"flask" @ pyproject.toml:5',
        packageManager: '"uv" @ uv.lock:1',
        lockfile: '"uv.lock" @ uv.lock:1',
        port: '5000 @ app.py:15',
        dockerfile: 'null',
        build: 'null',
        startCommand: '"flask --app app:app run" @ app.py:5',
        healthEndpoint: '"/status" @ app.py:9',
        envVars: ['"DATABASE_URL" @ app.py:6'],
        orm: '"sqlalchemy" @ pyproject.toml:6',
        migrations: 'null',
        queues: [],
        tests: 'null',
        coverageConfig: 'null',
      },
    },
    monorepoTool: 'null',
    ciConfigs: [],
    composeFiles: [],
    k8sManifests: [],
    helmCharts: [],
    gaps: [
      'no-ci - @ -',
      'no-dockerfile . @ pyproject.toml:1',
      'no-tests . @ pyproject.toml:1',
      'orm-without-migrations . @ pyproject.toml:6',
      'undocumented-env-var . @ app.py:6',
    ],
  },
  pyCelery: {
    services: {
      '.': {
        name: 'app',
        language: '"python" @ requirements.txt:1',
        framework: '"celery" @ requirements.txt:1',
        packageManager: '"pip" @ requirements.txt:1',
        lockfile: 'null',
        port: 'null',
        dockerfile:
          '{"path":"Dockerfile","baseImage":"python:3.12-slim","exposedPorts":[],"user":"nobody","healthcheck":null} @ Dockerfile:1',
        build:
          '{"context":".","dockerfile":"Dockerfile","target":null,"args":{},"source":"dockerfile"} @ Dockerfile:1',
        startCommand: '"celery -A worker.tasks worker --loglevel=info" @ Dockerfile:6',
        healthEndpoint: 'null',
        envVars: ['"BROKER_URL" @ worker/tasks.py:5,.env.example:1'],
        orm: 'null',
        migrations: 'null',
        queues: ['"celery" @ requirements.txt:1'],
        tests: '{"framework":"unittest","path":"worker"} @ worker/test_tasks.py:1',
        coverageConfig: 'null',
      },
    },
    monorepoTool: 'null',
    ciConfigs: ['gitlab-ci .gitlab-ci.yml'],
    composeFiles: [],
    k8sManifests: [],
    helmCharts: [],
    processes: [
      'app worker service=app high port=- image=- command=celery -A worker.tasks worker --loglevel=info @ Dockerfile:6 :: runs a Celery worker',
    ],
    gaps: ['no-lockfile . @ requirements.txt:1'],
  },
};
