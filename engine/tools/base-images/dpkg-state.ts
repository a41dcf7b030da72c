/**
 * The administrative state dpkg keeps beside the files of a root file system assembled from a
 * subset of the host's packages (debian-root.ts): the status file, the per-package info files,
 * and the parts maintainer scripts wrote that no package lists — alternatives
 * (/usr/bin/awk → /etc/alternatives/awk → mawk), diversions, stat overrides and trigger
 * interests. Each is the host's, cut down to the included packages, so `dpkg` and `apt-get`
 * inside the image see a consistent system instead of references to packages it does not have.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { InstalledPackage } from './debian-packages.ts';

const ALTERNATIVES_DB = 'var/lib/dpkg/alternatives';
const ALTERNATIVES_LINKS = '/etc/alternatives';

/** A file or symlink to create under the root, as the image should have it. */
export type RootEntry =
  | { kind: 'file'; path: string; content: string; mode?: number }
  | { kind: 'symlink'; path: string; target: string };

/** The status file: exactly the included packages' stanzas, in name order. */
export function statusFile(packages: InstalledPackage[]): string {
  return `${packages.map((item) => item.stanza).join('\n\n')}\n`;
}

/** Diversion triplets (path, diverted-to, package) whose diverting package is included. */
export function diversionsFile(hostText: string, included: Set<string>): string {
  const lines = hostText.split('\n');
  const kept: string[] = [];
  for (let i = 0; i + 2 < lines.length; i += 3) {
    const owner = lines[i + 2] as string;
    if (included.has(owner)) kept.push(lines[i] as string, lines[i + 1] as string, owner);
  }
  return kept.length ? `${kept.join('\n')}\n` : '';
}

/** Diversions of the host that apply to files of included packages: original → diverted-to. */
export function hostDiversions(hostText: string): Map<string, { to: string; owner: string }> {
  const lines = hostText.split('\n');
  const map = new Map<string, { to: string; owner: string }>();
  for (let i = 0; i + 2 < lines.length; i += 3)
    map.set(lines[i] as string, { to: lines[i + 1] as string, owner: lines[i + 2] as string });
  return map;
}

/** `user group mode path` lines whose path is in the root and whose user and group exist. */
export function statOverrideFile(
  hostText: string,
  exists: (path: string) => boolean,
  users: Set<string>,
  groups: Set<string>,
): string {
  const kept = hostText.split('\n').filter((line) => {
    const [user, group, , path] = line.split(' ');
    return Boolean(path && users.has(user ?? '') && groups.has(group ?? '') && exists(path));
  });
  return kept.length ? `${kept.join('\n')}\n` : '';
}

/**
 * Trigger interests (triggers/File and one file per explicit trigger) of included packages
 * only; a pending-trigger list (Unincorp) starts empty.
 */
export function triggerFiles(hostDir: string, included: Set<string>): Map<string, string> {
  const files = new Map<string, string>([['Unincorp', '']]);
  if (!existsSync(hostDir)) return files;
  const owner = (word: string) => word.split('/')[0]?.split(':')[0] ?? '';
  for (const name of readdirSync(hostDir)) {
    if (name === 'Unincorp' || name === 'Lock') continue;
    const text = readFileSync(join(hostDir, name), 'utf8');
    const kept = text
      .split('\n')
      .filter((line) => line && included.has(owner(line.split(' ').pop() ?? '')));
    if (kept.length || name === 'File') files.set(name, kept.length ? `${kept.join('\n')}\n` : '');
  }
  return files;
}

interface Alternative {
  mode: string;
  link: string;
  slaves: Array<{ name: string; link: string }>;
  choices: Array<{ path: string; priority: string; slaves: string[] }>;
}

/**
 * The alternatives of the host that have a choice in the root: the database file (choices
 * outside the root dropped) and the two symlinks per link (`/usr/bin/awk` →
 * `/etc/alternatives/awk` → `/usr/bin/mawk`). The host's current choice is kept when it is in
 * the root; otherwise the root gets what `auto` mode would pick among its own choices (the host
 * may prefer gawk, which the root does not have). Slaves whose file is not in the root (man
 * pages of a slim image) get no links.
 */
export function alternativesEntries(
  hostRoot: string,
  inRoot: (path: string) => boolean,
): RootEntry[] {
  const dbDir = join(hostRoot, ALTERNATIVES_DB);
  if (!existsSync(dbDir)) return [];
  const entries: RootEntry[] = [];
  for (const name of readdirSync(dbDir).sort()) {
    const parsed = parseAlternative(readFileSync(join(dbDir, name), 'utf8'));
    if (!parsed) continue;
    const choices = parsed.choices.filter((choice) => inRoot(choice.path));
    const current = choices.find((choice) => choice.path === currentChoice(hostRoot, name));
    const best = [...choices].sort((a, b) => Number(b.priority) - Number(a.priority))[0];
    const selected = current ?? best;
    if (!selected) continue;
    const mode = current ? parsed.mode : 'auto';
    entries.push({
      kind: 'file',
      path: `/${ALTERNATIVES_DB}/${name}`,
      content: formatAlternative({ ...parsed, mode, choices }),
    });
    const links = [
      { name, link: parsed.link, target: selected.path },
      ...parsed.slaves.map((slave, i) => ({ ...slave, target: selected.slaves[i] ?? '' })),
    ];
    for (const link of links) {
      if (!link.target || !inRoot(link.target)) continue;
      entries.push({
        kind: 'symlink',
        path: `${ALTERNATIVES_LINKS}/${link.name}`,
        target: link.target,
      });
      entries.push({
        kind: 'symlink',
        path: link.link,
        target: `${ALTERNATIVES_LINKS}/${link.name}`,
      });
    }
  }
  return entries;
}

function currentChoice(hostRoot: string, name: string): string | undefined {
  const path = join(hostRoot, ALTERNATIVES_LINKS, name);
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return undefined;
  }
}

/** update-alternatives' database format (one value per line; choice blocks end at a blank). */
function parseAlternative(text: string): Alternative | undefined {
  const lines = text.split('\n');
  const mode = lines[0];
  const link = lines[1];
  if (!mode || !link) return undefined;
  let i = 2;
  const slaves: Alternative['slaves'] = [];
  while (i + 1 < lines.length && lines[i] !== '') {
    slaves.push({ name: lines[i] as string, link: lines[i + 1] as string });
    i += 2;
  }
  i += 1;
  const choices: Alternative['choices'] = [];
  while (i < lines.length && lines[i] !== '') {
    const path = lines[i] as string;
    const priority = lines[i + 1] ?? '0';
    choices.push({ path, priority, slaves: lines.slice(i + 2, i + 2 + slaves.length) });
    i += 2 + slaves.length;
  }
  return { mode, link, slaves, choices };
}

function formatAlternative(alternative: Alternative): string {
  const lines = [alternative.mode, alternative.link];
  for (const slave of alternative.slaves) lines.push(slave.name, slave.link);
  lines.push('');
  for (const choice of alternative.choices)
    lines.push(choice.path, choice.priority, ...choice.slaves);
  lines.push('', '');
  return lines.join('\n');
}
