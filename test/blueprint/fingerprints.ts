/**
 * Auditor-like fingerprints for the blueprint tests: one per fixture stack the auditor knows
 * (Node/Express, Python/FastAPI, Go/gin, Java/Spring), parsed through the auditor's own schema so
 * a change of its shape breaks these tests rather than silently diverging from it.
 */
import { Fingerprint, type Service } from '../../engine/agents/repo-auditor/fingerprint.ts';

const at = (file: string, line = 1) => [{ file, line }];

function claimOf<T>(value: T, file: string, line = 1) {
  return { value, evidence: at(file, line) };
}

function service(overrides: Partial<Service> & Pick<Service, 'name' | 'path'>): Service {
  return {
    language: null,
    framework: null,
    packageManager: null,
    lockfile: null,
    port: null,
    dockerfile: null,
    startCommand: null,
    healthEndpoint: null,
    envVars: [],
    orm: null,
    migrations: null,
    queues: [],
    tests: null,
    coverageConfig: null,
    ...overrides,
  };
}

function fingerprintOf(services: Service[], gaps: Fingerprint['gaps'] = []): Fingerprint {
  return Fingerprint.parse({
    version: 1,
    services,
    composeFiles: [],
    k8sManifests: [],
    helmCharts: [],
    ciConfigs: [],
    monorepoTool: null,
    gaps,
    stats: { files: 12, filesRead: 12, skipped: [] },
  });
}

export const nodeExpress = fingerprintOf([
  service({
    name: 'orders-api',
    path: '.',
    language: claimOf('javascript' as const, 'package.json'),
    framework: claimOf('express', 'package.json', 12),
    packageManager: claimOf('npm', 'package-lock.json'),
    lockfile: claimOf('package-lock.json', 'package-lock.json'),
    port: claimOf(3000, 'src/server.js', 3),
    dockerfile: claimOf(
      {
        path: 'Dockerfile',
        baseImage: 'node:20-alpine',
        exposedPorts: [3000],
        user: 'node',
        healthcheck: null,
      },
      'Dockerfile',
    ),
    startCommand: claimOf('node src/server.js', 'package.json', 4),
    healthEndpoint: claimOf('/healthz', 'src/server.js', 5),
    envVars: [claimOf('DATABASE_URL', 'src/server.js', 7), claimOf('REDIS_URL', 'src/queue.js', 2)],
    orm: claimOf('sequelize', 'package.json', 13),
    queues: [claimOf('bullmq', 'package.json', 10)],
    tests: claimOf({ framework: 'jest', path: 'test' }, 'jest.config.js'),
  }),
]);

export const pythonFastapi = fingerprintOf(
  [
    service({
      name: 'billing',
      path: '.',
      language: claimOf('python' as const, 'pyproject.toml'),
      framework: claimOf('fastapi', 'requirements.txt', 1),
      packageManager: claimOf('pip', 'requirements.txt'),
      port: claimOf(8000, 'app/main.py', 20),
      startCommand: claimOf('uvicorn app.main:app --host 0.0.0.0 --port 8000', 'Procfile'),
      healthEndpoint: claimOf('/health', 'app/main.py', 9),
      envVars: [claimOf('DATABASE_URL', 'app/db.py', 4)],
      orm: claimOf('sqlalchemy', 'requirements.txt', 3),
      migrations: claimOf({ tool: 'alembic', path: 'alembic' }, 'alembic.ini'),
      tests: claimOf({ framework: 'pytest', path: 'tests' }, 'pytest.ini'),
    }),
  ],
  [
    {
      id: 'no-dockerfile',
      severity: 'medium',
      service: '.',
      message: 'no Dockerfile',
      remediation: 'add one',
      evidence: at('pyproject.toml'),
    },
  ],
);

export const goGin = fingerprintOf([
  service({
    name: 'inventory',
    path: 'services/inventory',
    language: claimOf('go' as const, 'services/inventory/go.mod'),
    framework: claimOf('gin', 'services/inventory/go.mod', 5),
    packageManager: claimOf('go modules', 'services/inventory/go.mod'),
    lockfile: claimOf('go.sum', 'services/inventory/go.sum'),
    port: claimOf(8080, 'services/inventory/main.go', 14),
    healthEndpoint: claimOf('/healthz', 'services/inventory/main.go', 10),
    tests: claimOf(
      { framework: 'go test', path: 'services/inventory' },
      'services/inventory/main_test.go',
    ),
  }),
]);

export const javaSpring = fingerprintOf(
  [
    service({
      name: 'Payments Service',
      path: '.',
      language: claimOf('java' as const, 'pom.xml'),
      framework: claimOf('spring-boot', 'pom.xml', 18),
      packageManager: claimOf('maven', 'pom.xml'),
      port: claimOf(8081, 'src/main/resources/application.properties', 1),
      healthEndpoint: claimOf('/actuator/health', 'pom.xml', 30),
      envVars: [claimOf('SPRING_DATASOURCE_URL', 'src/main/resources/application.properties', 2)],
    }),
  ],
  [
    {
      id: 'no-tests',
      severity: 'high',
      service: '.',
      message: 'no tests',
      remediation: 'add tests',
      evidence: at('pom.xml'),
    },
  ],
);

/** Two services in one repository: ordering, naming and per-service files must stay stable. */
export const monorepo = Fingerprint.parse({
  ...goGin,
  services: [
    ...nodeExpress.services.map((s) => ({
      ...s,
      path: 'apps/orders',
      dockerfile: s.dockerfile && {
        ...s.dockerfile,
        value: { ...s.dockerfile.value, path: 'apps/orders/Dockerfile' },
      },
    })),
    ...goGin.services,
  ],
});
export const STACKS = { nodeExpress, pythonFastapi, goGin, javaSpring, monorepo } as const;
