/**
 * `local/rabbitmq:base`: the host's RabbitMQ (Debian 12's rabbitmq-server, 3.10) and the Erlang
 * runtime it runs on (erlang-base and friends), dash and df (the disk space monitor calls it),
 * and every library `ldd` lists for them. It serves AMQP 0-9-1 on 5672 as uid 1000, with the
 * user, password and vhost given by RABBITMQ_DEFAULT_USER / _PASS / _VHOST like the public
 * image: the stand-in for `rabbitmq` in the tests stage and the local environments (issue 14).
 *
 * The node is always rabbit@localhost and its database lives in /var/lib/rabbitmq: a volume
 * mounted there keeps queues and messages across a new container (whose hostname is new).
 */
import type Docker from 'dockerode';
import { cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureImage, type BaseImage, type EnsureBaseImageOptions } from './index.ts';
import { BaseImageInputMissingError } from './missing-input.ts';
import { copyIn, makeRoot, ownedDir, sha256, sharedLibraries, stampsOf } from './rootfs.ts';
import type { RootSpec } from './spec.ts';

export const RABBITMQ_PORT = 5672;
export const RABBITMQ_IMAGE = 'local/rabbitmq:base';
const ERLANG = '/usr/lib/erlang';
const RABBITMQ = '/usr/lib/rabbitmq/lib';
const SHELL = '/bin/sh';
/** rabbit_disk_monitor runs `df -kP` through /bin/sh. */
const DF = '/usr/bin/df';
const HOME = '/var/lib/rabbitmq';
const ENTRYPOINT = fileURLToPath(new URL('./rabbitmq-entrypoint.sh', import.meta.url));
const ENTRYPOINT_IN_IMAGE = '/usr/local/lib/prodsprint/rabbitmq-entrypoint.sh';
const PACKAGES = ['rabbitmq-server'];

export async function rabbitmqRootSpec(): Promise<RootSpec> {
  const erts = newest(ERLANG, /^erts-[\d.]+$/);
  const server = newest(RABBITMQ, /^rabbitmq_server-[\d.]+$/);
  if (!erts || !server) {
    throw new BaseImageInputMissingError(
      `${RABBITMQ_IMAGE} needs RabbitMQ and the Erlang runtime under ${RABBITMQ} and ${ERLANG}, which this host lacks (apt-get install -y --no-install-recommends ${PACKAGES.join(' ')})`,
      PACKAGES,
    );
  }
  const bin = join(ERLANG, erts, 'bin');
  const plugins = join(RABBITMQ, server, 'plugins');
  const trees = [...filesUnder(ERLANG), ...filesUnder(plugins)];
  const executables = [...filesUnder(bin), SHELL, DF];
  const natives = trees.filter((file) => file.endsWith('.so'));
  const libraries = await sharedLibraries([...executables, ...natives]);
  const hash = sha256(
    readFileSync(fileURLToPath(import.meta.url)),
    readFileSync(fileURLToPath(new URL('./rootfs.ts', import.meta.url))),
    readFileSync(ENTRYPOINT),
    // Path, size and mtime of the runtime's and the broker's own files, and of the libraries.
    stampsOf([...executables, ...libraries, ...trees]),
  );
  return {
    image: RABBITMQ_IMAGE,
    hash,
    changes: [
      `ENTRYPOINT ["${SHELL}", "${ENTRYPOINT_IN_IMAGE}"]`,
      'USER 1000:1000',
      `WORKDIR ${HOME}`,
      `ENV PATH=${bin}:/usr/bin:/bin`,
      // What the erl script exports before it runs erlexec.
      `ENV ROOTDIR=${ERLANG} BINDIR=${bin} EMU=beam PROGNAME=erl`,
      `ENV ERL_LIBS=${plugins} ERL_MAX_PORTS=65536 ERL_MAX_ETS_TABLES=50000`,
      `ENV HOME=${HOME} RABBITMQ_NODENAME=rabbit@localhost RABBITMQ_MNESIA_BASE=${HOME}/mnesia`,
      `ENV RABBITMQ_LOGS=- RABBITMQ_ENABLED_PLUGINS_FILE=${HOME}/enabled_plugins`,
      // The log goes to stdout; the upgrade log and a crash dump still want files.
      'ENV RABBITMQ_LOG_BASE=/tmp ERL_CRASH_DUMP=/tmp/erl_crash.dump',
      `EXPOSE ${RABBITMQ_PORT}`,
    ],
    assemble: () => {
      const root = makeRoot();
      for (const file of [SHELL, DF, ...libraries]) copyIn(root, file);
      copyIn(root, ENTRYPOINT, ENTRYPOINT_IN_IMAGE);
      // Both trees whole: Erlang finds its applications by directory, and the broker is ~70
      // applications (ERL_LIBS) that load each other's modules at run time.
      cpSync(ERLANG, join(root, ERLANG), { recursive: true, dereference: true });
      cpSync(plugins, join(root, plugins), { recursive: true, dereference: true });
      // The node's database, its Erlang cookie and the plugins file (HOME).
      ownedDir(root, HOME);
      return root;
    },
  };
}

/** `local/rabbitmq:base`, built from the host's packages when missing or stale. */
export async function ensureRabbitmqImage(
  docker: Docker,
  options: EnsureBaseImageOptions = {},
): Promise<BaseImage> {
  return ensureImage(docker, await rabbitmqRootSpec(), 'datastore-image-rabbitmq', options);
}

/** The highest-versioned entry of `dir` whose name matches, or undefined. */
function newest(dir: string, name: RegExp): string | undefined {
  if (!existsSync(dir)) return undefined;
  return readdirSync(dir)
    .filter((entry) => name.test(entry))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .at(-1);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() || (entry.isSymbolicLink() && isFile(entry)))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function isFile(entry: { parentPath: string; name: string }): boolean {
  try {
    return statSync(join(entry.parentPath, entry.name)).isFile();
  } catch {
    return false;
  }
}
