/**
 * `prodsprint doctor`: what this machine has of what ProdSprint needs. Required checks (Node, the
 * data dir, SQLite) decide whether it can run at all; optional ones (the Docker Engine, external
 * tools, and the offline inputs of doctor-offline.ts: mirrors, stand-ins, backing services,
 * vulnerability data) say which features will stop, and with which remedy.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { dataDirLayout, ensureWritableDataDir } from '../../store/data-dir.ts';
import { inspectDatabaseFile } from '../../store/database.ts';
import { LATEST_SCHEMA_VERSION } from '../../store/migrations.ts';
import { StoreError } from '../../store/store-error.ts';
import { detectTool, type DetectOptions } from '../../tools/detect.ts';
import { KNOWN_TOOLS } from '../../tools/known-tools.ts';
import type { DoctorCheck } from './doctor-check.ts';
import { locateDockerEngine, type DoctorDocker } from './doctor-engine.ts';
import { offlineInputChecks } from './doctor-offline.ts';

export type { DoctorCheck } from './doctor-check.ts';

export const MIN_NODE = { major: 22, minor: 12 };

export interface DoctorOptions {
  dataDir: string;
  projectRoot: string;
  env?: NodeJS.ProcessEnv;
  nodeVersion?: string;
  /**
   * Injected so tests can point at an engine that is (or is not) there; otherwise the engine a
   * sprint would use (doctor-engine.ts), asked with a 2 s limit.
   */
  docker?: DoctorDocker;
}

/**
 * Checks this machine for what ProdSprint needs. Read-only apart from a probe file in the data
 * dir: it creates no database (that is `init`'s job) and changes nothing it finds.
 */
export async function runDoctor(
  options: DoctorOptions,
): Promise<{ ok: boolean; checks: DoctorCheck[] }> {
  const env = options.env ?? process.env;
  const detectOptions: DetectOptions = { projectRoot: options.projectRoot, env };
  // Found once and shared: the Docker check and the MongoDB check ask the same engine.
  const docker = options.docker ? Promise.resolve(options.docker) : locateDockerEngine(env);
  const [checks, offline] = await Promise.all([
    Promise.all([
      Promise.resolve(checkNode(options.nodeVersion ?? process.versions.node)),
      Promise.resolve(checkDataDir(options.dataDir)),
      Promise.resolve(checkDatabase(options.dataDir)),
      docker.then(checkDocker),
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
    ]),
    offlineInputChecks({ dataDir: options.dataDir, env, docker }),
  ]);
  const all = [...checks, ...offline];
  return { ok: all.every((check) => !check.required || check.status !== 'fail'), checks: all };
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

export async function checkDocker(docker: Pick<DoctorDocker, 'version'>): Promise<DoctorCheck> {
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
