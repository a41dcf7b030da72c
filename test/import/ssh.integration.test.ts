/**
 * SSH imports against a real sshd on 127.0.0.1: host keys are enforced (unknown or changed
 * keys are refused, never accepted on first use), the client key is the only credential, and
 * failures are typed. Skipped when sshd is not installed (Debian `openssh-server`).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRepository } from '../../engine/agents/repo-auditor/audit.ts';
import { GitImportError } from '../../engine/git/errors.ts';
import { importRepository } from '../../engine/git/import-repository.ts';
import type { ImportRepositoryOptions } from '../../engine/git/import-repository.ts';
import { goGin } from '../fixtures/repos/go-stacks.ts';
import { materialise } from './fixtures.ts';
import { startSshServer } from './ssh-server.ts';
import type { SshServer } from './ssh-server.ts';

let root: string;
let ssh: SshServer | undefined;
let knownHosts: string;
let url: string;
let counter = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ps-ssh-'));
  materialise(root, 'shipping', goGin);
  ssh = await startSshServer(join(root, 'sshd'));
  if (!ssh) return;
  knownHosts = join(root, 'known_hosts');
  writeFileSync(knownHosts, ssh.knownHosts);
  url = `ssh://${ssh.user}@127.0.0.1:${ssh.port}${join(root, 'served', 'shipping.git')}`;
});

afterAll(() => {
  ssh?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

function run(options: Partial<ImportRepositoryOptions>) {
  counter += 1;
  return importRepository({
    source: url,
    destDir: join(root, 'dest', String(counter)),
    timeoutMs: 20_000,
    ...options,
  });
}

async function failureKind(options: Partial<ImportRepositoryOptions>): Promise<string> {
  const error = await run(options).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(GitImportError);
  return (error as GitImportError).kind;
}

describe.skipIf(!existsSync('/usr/sbin/sshd'))('SSH transport', () => {
  it('imports with a known host key and an authorised client key', async () => {
    const imported = await run({
      knownHostsPath: knownHosts,
      credentials: { kind: 'ssh-key', privateKeyPath: ssh?.clientKeyPath ?? '' },
    });
    expect(imported).toMatchObject({
      transport: 'ssh',
      branch: 'main',
      repoUrl: url,
      files: Object.keys(goGin).length,
    });
    expect((await auditRepository(imported.dir)).services[0]?.framework?.value).toBe('gin');
  });

  it('refuses a host whose key is not known', async () => {
    const empty = join(root, 'empty_known_hosts');
    writeFileSync(empty, '');
    expect(
      await failureKind({
        knownHostsPath: empty,
        credentials: { kind: 'ssh-key', privateKeyPath: ssh?.clientKeyPath ?? '' },
      }),
    ).toBe('host-key-rejected');
  });

  it('refuses a host whose key changed', async () => {
    const changed = join(root, 'changed_known_hosts');
    // A valid key, but not the server's: what a man-in-the-middle would present.
    const otherKey = readFileSync(`${ssh?.strangerKeyPath ?? ''}.pub`, 'utf8')
      .split(' ')
      .slice(0, 2)
      .join(' ');
    writeFileSync(changed, `[127.0.0.1]:${ssh?.port ?? 0} ${otherKey}\n`);
    expect(
      await failureKind({
        knownHostsPath: changed,
        credentials: { kind: 'ssh-key', privateKeyPath: ssh?.clientKeyPath ?? '' },
      }),
    ).toBe('host-key-rejected');
  });

  it('reports a key the server does not accept as auth-failed', async () => {
    expect(
      await failureKind({
        knownHostsPath: knownHosts,
        credentials: { kind: 'ssh-key', privateKeyPath: ssh?.strangerKeyPath ?? '' },
      }),
    ).toBe('auth-failed');
  });

  it('reports a missing branch', async () => {
    expect(
      await failureKind({
        branch: 'nope',
        knownHostsPath: knownHosts,
        credentials: { kind: 'ssh-key', privateKeyPath: ssh?.clientKeyPath ?? '' },
      }),
    ).toBe('branch-not-found');
  });
});
