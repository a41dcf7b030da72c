/**
 * `local/postgres:base`: the host's PostgreSQL server and client (Debian's postgresql-N and
 * postgresql-client-N), its extension modules and share files, the time zone database, dash, and
 * every library `ldd` lists for them. It starts a throwaway server (postgres-entrypoint.sh) as
 * uid 1000, listening on 5432 with a password the caller sets (POSTGRES_PASSWORD).
 *
 * Why a shell, unlike the runtime images: initdb runs postgres through popen(), i.e. /bin/sh, so
 * the image needs one to initialise a cluster at all; the start sequence (initdb, database,
 * server) is then a short script rather than a chain of helper binaries.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BaseImageInputMissingError } from './missing-input.ts';
import { copyIn, makeRoot, ownedDir, sha256, sharedLibraries, stampsOf } from './rootfs.ts';
import type { RootSpec } from './spec.ts';

export const POSTGRES_PORT = 5432;
const POSTGRES_ROOT = '/usr/lib/postgresql';
const SHELL = '/bin/sh';
const ZONEINFO = '/usr/share/zoneinfo';
const ENTRYPOINT = fileURLToPath(new URL('./postgres-entrypoint.sh', import.meta.url));
const ENTRYPOINT_IN_IMAGE = '/usr/local/lib/prodsprint/postgres-entrypoint.sh';
/** What the entrypoint and the engine run; the other client tools are left out. */
const PROGRAMS = ['postgres', 'initdb', 'pg_isready', 'psql'];
/** The JIT provider alone pulls in libLLVM (~100 MB); the server runs with jit=off. */
const SKIP = new Set(['llvmjit.so', 'llvmjit_types.bc', 'bitcode', 'man']);

export async function postgresRootSpec(): Promise<RootSpec> {
  const major = installedMajor();
  const bin = join(POSTGRES_ROOT, major, 'bin');
  const lib = join(POSTGRES_ROOT, major, 'lib');
  const share = `/usr/share/postgresql/${major}`;
  const programs = PROGRAMS.map((name) => join(bin, name));
  const missing = programs.filter((path) => !existsSync(path));
  if (missing.length > 0 || !existsSync(share)) {
    throw new BaseImageInputMissingError(
      `local/postgres:base needs ${missing.join(', ') || share}, which this host lacks (apt-get install -y --no-install-recommends postgresql-${major} postgresql-client-${major})`,
      [`postgresql-${major}`, `postgresql-client-${major}`],
    );
  }
  const modules = filesUnder(lib).filter((file) => file.endsWith('.so'));
  const libraries = await sharedLibraries([...programs, ...modules, SHELL]);
  const data = [...filesUnder(share), ...filesUnder(ZONEINFO)];
  const hash = sha256(
    // How the root fs is assembled is an input too: changing it must rebuild the image.
    readFileSync(fileURLToPath(import.meta.url)),
    readFileSync(fileURLToPath(new URL('./rootfs.ts', import.meta.url))),
    readFileSync(ENTRYPOINT),
    // Path, size and mtime: a package upgrade changes them without hashing ~40 MB each call.
    stampsOf([...programs, ...modules, ...libraries, ...data, SHELL]),
  );
  return {
    image: 'local/postgres:base',
    hash,
    changes: [
      `ENTRYPOINT ["${SHELL}", "${ENTRYPOINT_IN_IMAGE}"]`,
      'USER 1000:1000',
      'WORKDIR /var/lib/postgresql',
      `ENV PATH=${bin}:/usr/bin:/bin`,
      'ENV TZ=UTC',
      `EXPOSE ${POSTGRES_PORT}`,
    ],
    assemble: () => {
      const root = makeRoot();
      for (const file of [...programs, ...libraries]) copyIn(root, file);
      copyIn(root, SHELL);
      copyIn(root, ENTRYPOINT, ENTRYPOINT_IN_IMAGE);
      mkdirSync(join(root, lib), { recursive: true });
      const notSkipped = (source: string) => !SKIP.has(source.split('/').pop() ?? '');
      cpSync(lib, join(root, lib), { recursive: true, dereference: true, filter: notSkipped });
      cpSync(share, join(root, share), { recursive: true, dereference: true, filter: notSkipped });
      cpSync(ZONEINFO, join(root, ZONEINFO), {
        recursive: true,
        dereference: true,
        // Duplicates of the main tree in other formats; localtime points at the host's zone.
        filter: (source) => !/\/zoneinfo\/(?:right|posix|localtime)$/.test(source),
      });
      // The cluster and the server's socket belong to the unprivileged user it runs as.
      ownedDir(root, '/var/lib/postgresql');
      ownedDir(root, '/var/run/postgresql');
      return root;
    },
  };
}

/** The newest PostgreSQL major installed the Debian way (/usr/lib/postgresql/<major>). */
function installedMajor(): string {
  const majors = existsSync(POSTGRES_ROOT)
    ? readdirSync(POSTGRES_ROOT).filter((name) =>
        existsSync(join(POSTGRES_ROOT, name, 'bin', 'postgres')),
      )
    : [];
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0];
  if (newest) return newest;
  throw new BaseImageInputMissingError(
    'PostgreSQL is not installed, so local/postgres:base cannot be built (apt-get install -y --no-install-recommends postgresql-15 postgresql-client-15)',
    ['postgresql-15', 'postgresql-client-15'],
  );
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() || (entry.isSymbolicLink() && isFile(entry)))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !file.split('/').some((part) => SKIP.has(part)))
    .sort();
}

function isFile(entry: { parentPath: string; name: string }): boolean {
  try {
    return statSync(join(entry.parentPath, entry.name)).isFile();
  } catch {
    return false;
  }
}
