import Docker from 'dockerode';
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { DoctorCheck } from '../api/system.contract.ts';
import { dataDirLayout, ensureWritableDataDir } from '../store/data-dir.ts';
import { inspectDatabaseFile } from '../store/database.ts';
import { LATEST_SCHEMA_VERSION } from '../store/migrations.ts';
import { StoreError } from '../store/store-error.ts';
import { detectTool, type DetectOptions } from '../tools/detect.ts';
import { KNOWN_TOOLS } from '../tools/known-tools.ts';

export const MIN_NODE = { major: 22, minor: 12 };

export interface DoctorOptions {
  dataDir: string;
  projectRoot: string;
  env?: NodeJS.ProcessEnv;
  nodeVersion?: string;
  /** Injected so tests can point at an engine that is (or is not) there. */
  docker?: Pick<Docker, 'version'>;
}

/**
 * Checks this machine for what ProdSprint needs. Read-only apart from a probe file in the data
 * dir: it creates no database (that is `init`'s job) and changes nothing it finds.
 */
export async function runDoctor(
  options: DoctorOptions,
): Promise<{ ok: boolean; checks: DoctorCheck[] }> {
  const detectOptions: DetectOptions = {
    projectRoot: options.projectRoot,
    env: options.env ?? process.env,
  };
  const checks = await Promise.all([
    Promise.resolve(checkNode(options.nodeVersion ?? process.versions.node)),
    Promise.resolve(checkDataDir(options.dataDir)),
    Promise.resolve(checkDatabase(options.dataDir)),
    checkDocker(options.docker ?? new Docker({ timeout: 3000 })),
    ...KNOWN_TOOLS.map(async (tool): Promise<DoctorCheck> => {
      const presence = await detectTool(tool, detectOptions);
      const base = { id: `tool.${tool.id}`, title: `Tool: ${tool.id}`, required: false };
      return presence.found
        ? { ...base, status: 'ok', detail: `${presence.version ?? 'found'} (${presence.path})` }
        : {
            ...base,
            status: 'warn',
            detail: `not found; used for ${tool.purpose}`,
            remedy: tool.remedy,
          };
    }),
  ]);
  return { ok: checks.every((check) => !check.required || check.status !== 'fail'), checks };
}

export function checkNode(version: string): DoctorCheck {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const ok = major > MIN_NODE.major || (major === MIN_NODE.major && minor >= MIN_NODE.minor);
  return {
    id: 'node',
    title: 'Node.js',
    status: ok ? 'ok' : 'fail',
    required: true,
    detail: `Node ${version} (needs >= ${MIN_NODE.major}.${MIN_NODE.minor})`,
    ...(ok
      ? {}
      : {
          remedy: 'run `npm run setup`, which installs Node 24 into .tools/ from the npm registry',
        }),
  };
}

export function checkDataDir(dataDir: string): DoctorCheck {
  const base = { id: 'data-dir', title: 'Data directory', required: true };
  // An absent data dir is fine as long as init will be able to create it.
  let probeDir = dataDir;
  while (!existsSync(probeDir) && dirname(probeDir) !== probeDir) probeDir = dirname(probeDir);
  const creates = probeDir !== dataDir;
  try {
    if (existsSync(probeDir) && !statSync(probeDir).isDirectory()) {
      return {
        ...base,
        status: 'fail',
        detail: `${probeDir} exists and is not a directory`,
        remedy: 'move it aside or choose another --data-dir',
      };
    }
    ensureWritableDataDir(probeDir);
    return {
      ...base,
      status: 'ok',
      detail: creates ? `${dataDir} (will be created by \`prodsprint init\`)` : dataDir,
    };
  } catch (error) {
    const remedy = error instanceof StoreError ? error.remedy : 'choose another --data-dir';
    return { ...base, status: 'fail', detail: (error as Error).message, remedy };
  }
}

export function checkDatabase(dataDir: string): DoctorCheck {
  const base = { id: 'sqlite', title: 'SQLite database', required: true };
  const file = dataDirLayout(dataDir).database;
  try {
    if (!existsSync(file)) {
      const memory = new Database(':memory:');
      const { version } = memory.prepare('SELECT sqlite_version() AS version').get() as {
        version: string;
      };
      memory.close();
      return {
        ...base,
        status: 'ok',
        detail: `SQLite ${version} works; no database yet at ${file}`,
        remedy: 'run `prodsprint init` to create it',
      };
    }
    const inspection = inspectDatabaseFile(file, { integrity: true });
    if (inspection.integrity !== 'ok') {
      return {
        ...base,
        status: 'fail',
        detail: `${file}: integrity check reports ${inspection.integrity}`,
        remedy: 'restore the file from a backup',
      };
    }
    const behind = inspection.schemaVersion < LATEST_SCHEMA_VERSION;
    return {
      ...base,
      status: 'ok',
      detail: `${file} at schema ${inspection.schemaVersion}${behind ? ` (this build migrates it to ${LATEST_SCHEMA_VERSION} when it next opens it)` : ''}`,
    };
  } catch (error) {
    const remedy = error instanceof StoreError ? error.remedy : 'see the detail above';
    return { ...base, status: 'fail', detail: (error as Error).message, remedy };
  }
}

export async function checkDocker(docker: Pick<Docker, 'version'>): Promise<DoctorCheck> {
  const base = { id: 'docker', title: 'Docker Engine', required: false };
  try {
    const version = await docker.version();
    return {
      ...base,
      status: 'ok',
      detail: `Docker Engine ${version.Version} (API ${version.ApiVersion})`,
    };
  } catch (error) {
    return {
      ...base,
      status: 'warn',
      detail: `no Docker Engine answered (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      remedy:
        'start the Docker Engine (dockerd), or set DOCKER_HOST to the one you use; builds and the Docker target need it',
    };
  }
}
