/**
 * A real OpenSSH server on 127.0.0.1 for SSH import tests: a throwaway host key, one
 * authorised client key, public-key login only. Started and stopped by PID. Returns undefined
 * when sshd is not installed (Debian `openssh-server`), so callers can skip.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/infra/daemon.ts';

const SSHD = '/usr/sbin/sshd';

export interface SshServer {
  port: number;
  user: string;
  /** known_hosts content that trusts this server's host key. */
  knownHosts: string;
  clientKeyPath: string;
  /** A key the server does not accept. */
  strangerKeyPath: string;
  close(): void;
}

function keygen(path: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'test', '-f', path], {
    stdio: 'ignore',
  });
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('sshd did not start listening');
}

export async function startSshServer(dir: string): Promise<SshServer | undefined> {
  if (!existsSync(SSHD)) return undefined;
  mkdirSync(dir, { recursive: true });
  // Privilege separation needs this directory when sshd runs as root.
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true });
  for (const name of ['host_key', 'client_key', 'stranger_key']) keygen(join(dir, name));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')));
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'StrictModes no',
      'UsePAM no',
      '',
    ].join('\n'),
  );
  const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: 'ignore' });
  await waitForPort(port, child);
  const hostKey = readFileSync(join(dir, 'host_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  return {
    port,
    user: userInfo().username,
    knownHosts: `[127.0.0.1]:${port} ${hostKey}\n`,
    clientKeyPath: join(dir, 'client_key'),
    strangerKeyPath: join(dir, 'stranger_key'),
    close: () => {
      if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGTERM');
    },
  };
}
