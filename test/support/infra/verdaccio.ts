/**
 * A real npm registry for tests: Verdaccio (devDependency, 6.8.0) on 127.0.0.1, offline (no
 * uplinks: nothing is proxied to the public registry), with htpasswd auth that every read and
 * publish needs, so a client without the credential gets the 401 a team's mirror answers.
 * Packages are published with the host's npm CLI, as a team would fill its mirror. stop() ends
 * that PID and deletes its storage.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, infraDir, logTail, spawnDaemon, stopPid, waitUntil } from './daemon.ts';

export interface RunningVerdaccio {
  pid: number;
  /** `http://127.0.0.1:PORT/` */
  url: string;
  /** Publishes `{ name, version, files }` as the registry's user; returns dist.integrity. */
  publish(pkg: { name: string; version: string; files: Record<string, string> }): Promise<string>;
  stop(): Promise<void>;
}

/** The host's npm CLI (its package dir and npm-cli.js), found through PATH as a user's shell would. */
export function hostNpm(): { dir: string; cli: string } | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    try {
      const cli = realpathSync(join(dir, 'npm'));
      if (cli.endsWith('/bin/npm-cli.js')) return { dir: dirname(dirname(cli)), cli };
    } catch {
      // not in this PATH entry
    }
  }
  return undefined;
}

export async function startVerdaccio(user: string, password: string): Promise<RunningVerdaccio> {
  const npm = hostNpm();
  if (!npm) throw new Error('no npm CLI on PATH (Debian: npm) to publish test packages with');
  const bin = createRequire(import.meta.url).resolve('verdaccio/bin/verdaccio');
  const dir = mkdtempSync(join(infraDir(), 'verdaccio-'));
  // htpasswd's {SHA} form: base64 of the password's SHA-1 (what `htpasswd -s` writes).
  const sha = createHash('sha1').update(password).digest('base64');
  writeFileSync(join(dir, 'htpasswd'), `${user}:{SHA}${sha}\n`);
  writeFileSync(
    join(dir, 'config.yaml'),
    [
      `storage: ${join(dir, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(dir, 'htpasswd')}`,
      '    max_users: -1',
      'packages:',
      "  '**':",
      '    access: $authenticated',
      '    publish: $authenticated',
      'web:',
      '  enable: false',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const { pid, logFile } = spawnDaemon(
    process.execPath,
    [bin, '--config', join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`],
    { logFile: join(dir, 'verdaccio.log') },
  );
  const stop = async () => {
    await stopPid(pid);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(
      async () => (await fetch(`${url}-/ping`, { signal: AbortSignal.timeout(2000) })).ok,
      60_000,
      () => `Verdaccio did not answer on ${url} within 60 s:\n${logTail(logFile)}`,
      200,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const auth = Buffer.from(`${user}:${password}`).toString('base64');
  const npmrc = join(dir, 'npmrc');
  writeFileSync(npmrc, `//127.0.0.1:${port}/:_auth=${auth}\n`);
  return {
    pid,
    url,
    stop,
    async publish(pkg) {
      const pkgDir = join(dir, 'packages', `${pkg.name}-${pkg.version}`);
      mkdirSync(pkgDir, { recursive: true });
      writeFileSync(
        join(pkgDir, 'package.json'),
        JSON.stringify({ name: pkg.name, version: pkg.version, main: 'index.js' }),
      );
      for (const [file, text] of Object.entries(pkg.files)) writeFileSync(join(pkgDir, file), text);
      await promisify(execFile)(
        process.execPath,
        [
          npm.cli,
          'publish',
          pkgDir,
          '--registry',
          url,
          '--userconfig',
          npmrc,
          '--cache',
          join(dir, 'npm-cache'),
        ],
        { env: { ...process.env, NPM_CONFIG_UPDATE_NOTIFIER: 'false' } },
      );
      const packument = (await (
        await fetch(`${url}${pkg.name}`, { headers: { authorization: `Basic ${auth}` } })
      ).json()) as { versions: Record<string, { dist: { integrity: string } }> };
      return packument.versions[pkg.version]!.dist.integrity;
    },
  };
}
