import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRepository } from '../../agents/repo-auditor/index.ts';
import { Redactor } from '../../secrets/redact.ts';
import { filesArchive } from '../../targets/docker/files-archive.ts';
import { unframeDockerLogs } from '../../tools/docker-logs.ts';
import { ensureBackingServices, stopBackingServices } from './backing-services.ts';

// A local environment whose app reads its database password from a compose secret, on the real
// Docker Engine: awesome-compose's nginx-golang-postgres pattern, written small (the Go code
// reads /run/secrets/db-password itself; PostgreSQL reads the same secret through
// POSTGRES_PASSWORD_FILE). The environment generates its own password, never the repository's:
// the file the app gets holds that one, and PostgreSQL takes it.

interface EngineSupport {
  dockerUnavailableReason(): string | undefined;
  acquireDockerEngine(): Promise<{ docker: Docker; release(): Promise<void> }>;
}
// The shared-daemon helper lives in test/support, outside the engine's tsconfig project.
const supportModule = new URL('../../../test/support/infra/docker-engine.ts', import.meta.url);
const support = (await import(supportModule.href)) as EngineSupport;

const skipReason = support.dockerUnavailableReason();
if (skipReason && process.env.CI)
  throw new Error(`CI must run the environment compose secret tests, but: ${skipReason}`);
if (skipReason) console.warn(`skipping environment compose secret tests: ${skipReason}`);

const projectId = `secrets-${randomBytes(3).toString('hex')}`;
const environment = 'staging';
const network = `ps-${projectId}-${environment}`;
const REPOSITORY_PASSWORD = 'db-repo-committed';
let docker: Docker;
let release: () => Promise<void>;
let root: string;

beforeAll(async () => {
  if (skipReason) return;
  ({ docker, release } = await support.acquireDockerEngine());
  root = mkdtempSync(join(tmpdir(), 'prodsprint-backing-files-'));
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

function goPostgresRepo(): string {
  const files: Record<string, string> = {
    'backend/go.mod':
      'module example.com/backend\n\ngo 1.21\n\nrequire github.com/lib/pq v1.10.9\n',
    'backend/main.go': [
      'package main',
      '',
      'import (',
      '\t"database/sql"',
      '\t"fmt"',
      '\t"net/http"',
      '\t"os"',
      '',
      '\t_ "github.com/lib/pq"',
      ')',
      '',
      'func connect() (*sql.DB, error) {',
      '\tbin, err := os.ReadFile("/run/secrets/db-password")',
      '\tif err != nil {',
      '\t\treturn nil, err',
      '\t}',
      '\treturn sql.Open("postgres", fmt.Sprintf("postgres://postgres:%s@db:5432/example?sslmode=disable", string(bin)))',
      '}',
      '',
      'func main() {',
      '\thttp.ListenAndServe(":8000", nil)',
      '}',
      '',
    ].join('\n'),
    'compose.yaml': [
      'services:',
      '  backend:',
      '    build:',
      '      context: backend',
      '    secrets:',
      '      - db-password',
      '    depends_on:',
      '      - db',
      '  db:',
      '    image: postgres',
      '    secrets:',
      '      - db-password',
      '    environment:',
      '      - POSTGRES_DB=example',
      '      - POSTGRES_PASSWORD_FILE=/run/secrets/db-password',
      'secrets:',
      '  db-password:',
      '    file: db/password.txt',
      '',
    ].join('\n'),
    'db/password.txt': REPOSITORY_PASSWORD,
  };
  const dir = join(root, 'nginx-golang-postgres');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** psql on the environment network with the files put in, reading the password as the app does. */
async function loginWith(files: Record<string, string>) {
  const script = [
    'IFS= read -r PGPASSWORD < /run/secrets/db-password || true',
    'export PGPASSWORD',
    'psql -X -A -t -h db -U postgres -d example -c "SELECT current_user"',
  ].join('; ');
  const container = await docker.createContainer({
    Image: 'local/postgres:base',
    Entrypoint: ['/bin/sh', '-c', script],
    User: '1000:1000',
    HostConfig: { NetworkMode: network },
  });
  try {
    await container.putArchive(filesArchive(files), { path: '/' });
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

describe.skipIf(skipReason !== undefined)('ensureBackingServices with a compose secret', () => {
  it("gives the app's /run/secrets/db-password the environment's own PostgreSQL password, the same on every call", async () => {
    const repoDir = goPostgresRepo();
    const fingerprint = await auditRepository(repoDir);
    const service = fingerprint.services.find((s) => s.path === 'backend')!;
    const redactor = new Redactor();
    const progress: string[] = [];
    const ensure = () =>
      ensureBackingServices({
        docker,
        dataDir: join(root, 'data'),
        projectId,
        environment,
        network,
        service,
        fingerprint,
        repoDir,
        redactor,
        onProgress: (line) => progress.push(line),
      });
    const first = await ensure();
    expect(first.description).toBe('PostgreSQL');
    const password = first.env.PGPASSWORD!;
    expect(password).toMatch(/^[0-9a-f]{36}$/);
    expect(first.files).toEqual({ '/run/secrets/db-password': password });
    // The app connects as postgres to `example`, as the code says: the stack's names.
    expect(first.env.DATABASE_URL).toMatch(/^postgres:\/\/postgres:[0-9a-f]+@.*:5432\/example$/);
    expect(await loginWith(first.files)).toEqual({ code: 0, output: 'postgres' });
    // The repository's committed password opens nothing here.
    const committed = await loginWith({ '/run/secrets/db-password': REPOSITORY_PASSWORD });
    expect(committed.code).not.toBe(0);

    // A redeploy hands the version the same files: its container is kept (same digest).
    expect((await ensure()).files).toEqual(first.files);
    expect(progress.join('\n')).not.toContain(password);
    expect(redactor.redact(`pw ${password}`)).toBe('pw [REDACTED]');
  });
});
