/**
 * Whether a Node project belongs to the workspace whose lockfile lies above it. A lockfile in an
 * ancestor folder covers only the projects its workspace declares (pnpm-workspace.yaml
 * `packages`, package.json `workspaces`); a project beside them — vercel/next-learn's
 * `basics/*` next to its `dashboard/*` workspace — is installed on its own, and pnpm refuses a
 * frozen install of it ("pnpm-lock.yaml is absent"). Globs are matched segment by segment
 * (`*` one segment, `**` any number, a leading `!` excludes), never turned into a regular
 * expression: they are untrusted text.
 */
import { parseYaml } from '../parsers/yaml-safe.ts';
import type { RepoView } from '../repo-view.ts';

/** `a/*` against `a/b`: one path segment per glob segment, `**` any number of them. */
export function globMatches(glob: string, path: string): boolean {
  const pattern = glob.replace(/^\.\//, '').replace(/\/+$/, '').split('/');
  const parts = path.split('/');
  const seen = new Set<string>();
  const match = (g: number, p: number): boolean => {
    const key = `${g}:${p}`;
    if (seen.has(key)) return false;
    seen.add(key);
    if (g === pattern.length) return p === parts.length;
    const segment = pattern[g]!;
    if (segment === '**') return match(g + 1, p) || (p < parts.length && match(g, p + 1));
    return p < parts.length && segmentMatches(segment, parts[p]!) && match(g + 1, p + 1);
  };
  return match(0, 0);
}

/** One segment with `*` wildcards (`app-*`), matched left to right without backtracking blow-up. */
function segmentMatches(segment: string, name: string): boolean {
  const pieces = segment.split('*');
  if (pieces.length === 1) return segment === name;
  if (!name.startsWith(pieces[0]!) || !name.endsWith(pieces.at(-1)!)) return false;
  let at = pieces[0]!.length;
  const end = name.length - pieces.at(-1)!.length;
  for (const piece of pieces.slice(1, -1)) {
    const found = name.indexOf(piece, at);
    if (found < 0 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return at <= end;
}

/** The workspace globs declared in `root` (pnpm-workspace.yaml, else package.json), or null. */
async function workspaceGlobs(view: RepoView, root: string): Promise<string[] | null> {
  const at = (name: string) => (root === '.' ? name : `${root}/${name}`);
  const pnpm = view.has(at('pnpm-workspace.yaml'))
    ? await view.text(at('pnpm-workspace.yaml'))
    : undefined;
  if (pnpm !== undefined) {
    const parsed = parseYaml(pnpm);
    const packages = parsed.ok ? (parsed.docs[0]?.value as { packages?: unknown })?.packages : null;
    return Array.isArray(packages)
      ? packages.filter((p): p is string => typeof p === 'string')
      : [];
  }
  const text = view.has(at('package.json')) ? await view.text(at('package.json')) : undefined;
  if (text === undefined) return null;
  try {
    const workspaces = (JSON.parse(text) as { workspaces?: unknown }).workspaces;
    const list = Array.isArray(workspaces)
      ? workspaces
      : (workspaces as { packages?: unknown } | undefined)?.packages;
    return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : null;
  } catch {
    return null;
  }
}

/** Whether `dir` is a member of the workspace rooted at `root` (its lockfile's folder). */
export async function isWorkspaceMember(
  view: RepoView,
  root: string,
  dir: string,
): Promise<boolean> {
  if (root === dir) return true;
  const globs = await workspaceGlobs(view, root);
  if (!globs) return false;
  const relative = root === '.' ? dir : dir.slice(root.length + 1);
  const included = globs.some((glob) => !glob.startsWith('!') && globMatches(glob, relative));
  const excluded = globs.some(
    (glob) => glob.startsWith('!') && globMatches(glob.slice(1), relative),
  );
  return included && !excluded;
}
