/**
 * Small edits to a root file system being assembled (debian-root.ts) that families make too:
 * write a file, make a link, add a user the way `useradd` would. Each replaces what is there
 * rather than writing through it, so a copied host file is never modified in place.
 */
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

/** A fixed "last password change" day: the root must not depend on the day it was built. */
export const SHADOW_DAY = 19_700;

/** Writes one file into the root (parents created), replacing what is there. */
export function writeInRoot(root: string, path: string, content: string, mode = 0o644): void {
  const target = join(root, path);
  mkdirSync(dirname(target), { recursive: true });
  rmSync(target, { force: true });
  writeFileSync(target, content, { mode });
  chmodSync(target, mode);
}

/** Makes `path` in the root a symlink to `target`, replacing what is there. */
export function linkInRoot(root: string, path: string, target: string): void {
  const link = join(root, path);
  mkdirSync(dirname(link), { recursive: true });
  rmSync(link, { force: true, recursive: true });
  symlinkSync(target, link);
}

/** Adds users and groups to the root's passwd/group/shadow/gshadow (debian flavor). */
export function addUser(
  root: string,
  user: { name: string; uid: number; gid: number; home: string; shell: string },
): void {
  append(root, '/etc/passwd', `${user.name}:x:${user.uid}:${user.gid}::${user.home}:${user.shell}`);
  append(root, '/etc/group', `${user.name}:x:${user.gid}:`);
  if (existsSync(join(root, 'etc/shadow')))
    append(root, '/etc/shadow', `${user.name}:!:${SHADOW_DAY}:0:99999:7:::`);
  if (existsSync(join(root, 'etc/gshadow'))) append(root, '/etc/gshadow', `${user.name}:!::`);
  if (user.home === '/nonexistent') return; // a system user with no home, by convention
  mkdirSync(join(root, user.home), { recursive: true });
  chownSync(join(root, user.home), user.uid, user.gid);
}

function append(root: string, path: string, line: string): void {
  const file = join(root, path);
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const mode = existsSync(file) ? lstatSync(file).mode & 0o7777 : 0o644;
  writeFileSync(file, `${text}${text && !text.endsWith('\n') ? '\n' : ''}${line}\n`, { mode });
}
