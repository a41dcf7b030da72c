/**
 * `local/mariadb:base`: the host's MariaDB server and client (Debian 12's mariadb-server and
 * mariadb-client, 10.11), the error messages and character sets the server loads, dash, and
 * every library `ldd` lists for them. It serves MySQL's protocol on 3306 as uid 1000, with the
 * database, user and password given by MARIADB_DATABASE / MARIADB_USER / MARIADB_PASSWORD
 * (MYSQL_* are read too, as the public images do): a stand-in for `mysql` and `mariadb` in the
 * tests stage and the local environments (issue 14).
 *
 * Why a shell: the data dir is initialised by feeding the system tables to `mariadbd
 * --bootstrap`, then the credentials the same way, then the server starts; three steps in a
 * short script (mariadb-entrypoint.sh) rather than a program of our own inside the image.
 * The system tables are concatenated here, at build time, exactly as mariadb-install-db does.
 */
import type Docker from 'dockerode';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureImage, type BaseImage, type EnsureBaseImageOptions } from './index.ts';
import { BaseImageInputMissingError } from './missing-input.ts';
import { copyIn, makeRoot, ownedDir, sha256, sharedLibraries, stampsOf } from './rootfs.ts';
import type { RootSpec } from './spec.ts';

export const MARIADB_PORT = 3306;
export const MARIADB_IMAGE = 'local/mariadb:base';
const SERVER = '/usr/sbin/mariadbd';
/** The client: readiness checks and `docker exec … mariadb` for people. */
const CLIENT = '/usr/bin/mariadb';
const SHELL = '/bin/sh';
const SHARE = '/usr/share/mysql';
const ENTRYPOINT = fileURLToPath(new URL('./mariadb-entrypoint.sh', import.meta.url));
const ENTRYPOINT_IN_IMAGE = '/usr/local/lib/prodsprint/mariadb-entrypoint.sh';
const SYSTEM_TABLES_IN_IMAGE = '/usr/local/lib/prodsprint/mariadb-system-tables.sql';
/**
 * mariadb-install-db's order, without the help tables (2.4 MB of `HELP` text no app reads) and
 * the `test` database. `SET @auth_root_socket=NULL` is its "normal" root authentication; the
 * entrypoint then locks root, so only the generated user can log in.
 */
const SYSTEM_TABLE_FILES = [
  'mysql_system_tables.sql',
  'mysql_performance_tables.sql',
  'mysql_system_tables_data.sql',
  'maria_add_gis_sp_bootstrap.sql',
  'mysql_sys_schema.sql',
].map((name) => join(SHARE, name));
const PACKAGES = ['mariadb-server', 'mariadb-client'];

export async function mariadbRootSpec(): Promise<RootSpec> {
  const missing = [
    SERVER,
    CLIENT,
    ...SYSTEM_TABLE_FILES,
    join(SHARE, 'english', 'errmsg.sys'),
  ].filter((path) => !existsSync(path));
  if (missing.length > 0) {
    throw new BaseImageInputMissingError(
      `${MARIADB_IMAGE} needs ${missing.join(', ')}, which this host lacks (apt-get install -y --no-install-recommends ${PACKAGES.join(' ')})`,
      PACKAGES,
    );
  }
  const libraries = await sharedLibraries([SERVER, CLIENT, SHELL]);
  const hash = sha256(
    // How the root fs is assembled is an input too: changing it must rebuild the image.
    readFileSync(fileURLToPath(import.meta.url)),
    readFileSync(fileURLToPath(new URL('./rootfs.ts', import.meta.url))),
    readFileSync(ENTRYPOINT),
    // Path, size and mtime: a package upgrade changes them without hashing ~30 MB each call.
    stampsOf([SERVER, CLIENT, SHELL, ...libraries, ...SYSTEM_TABLE_FILES]),
  );
  return {
    image: MARIADB_IMAGE,
    hash,
    changes: [
      `ENTRYPOINT ["${SHELL}", "${ENTRYPOINT_IN_IMAGE}"]`,
      'USER 1000:1000',
      'WORKDIR /var/lib/mysql',
      'ENV PATH=/usr/sbin:/usr/bin:/bin',
      'ENV TZ=UTC',
      `EXPOSE ${MARIADB_PORT}`,
    ],
    assemble: () => {
      const root = makeRoot();
      for (const file of [SERVER, CLIENT, SHELL, ...libraries]) copyIn(root, file);
      copyIn(root, ENTRYPOINT, ENTRYPOINT_IN_IMAGE);
      const systemTables = [
        'create database if not exists mysql;',
        'use mysql;',
        'SET @auth_root_socket=NULL;',
        ...SYSTEM_TABLE_FILES.map((file) => readFileSync(file, 'utf8')),
      ].join('\n');
      writeFileSync(join(root, SYSTEM_TABLES_IN_IMAGE), systemTables);
      // Error messages (english only: the server's default) and the character set files.
      for (const dir of ['english', 'charsets'])
        cpSync(join(SHARE, dir), join(root, SHARE, dir), { recursive: true, dereference: true });
      // The data dir (a volume in an environment takes its owner from here) and nothing else
      // writable: the socket and temporary files go to /tmp.
      ownedDir(root, '/var/lib/mysql');
      return root;
    },
  };
}

/** `local/mariadb:base`, built from the host's packages when missing or stale. */
export async function ensureMariadbImage(
  docker: Docker,
  options: EnsureBaseImageOptions = {},
): Promise<BaseImage> {
  return ensureImage(docker, await mariadbRootSpec(), 'datastore-image-mariadb', options);
}
