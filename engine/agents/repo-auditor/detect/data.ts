/**
 * Data layer of a project: ORM, migrations tool and queues. A migrations tool is claimed only
 * when its files are in the repository (a migrations folder, an alembic.ini, a knexfile, …): a
 * dependency alone does not prove migrations exist, and "ORM but no migrations" is exactly the
 * gap this is here to find.
 */
import { claimOf, dirOf, ev, findLine, joinPath } from '../evidence.ts';
import type { Claim } from '../fingerprint.ts';
import type { ProjectManifest } from '../manifest.ts';
import type { RepoView } from '../repo-view.ts';
import { MIGRATION_DEPS, ORMS, QUEUES, lookup, lookupAll } from './catalog.ts';

interface Layout {
  tool: string | null;
  file: RegExp;
  /** The migrations folder is the matched file's folder (true) or a sibling `migrations/`. */
  dirIsFileDir: boolean;
}

const MIGRATION_HINT = /migrat|changelog|alembic|knexfile|sequelizerc|drizzle\.config/;

// Ordered: specific layouts first; the generic migrations/ folder last, named after the
// dependency that drives it (golang-migrate, goose, typeorm, …).
const LAYOUTS: Layout[] = [
  { tool: 'prisma', file: /(?:^|\/)prisma\/migrations\/.+/, dirIsFileDir: false },
  { tool: 'alembic', file: /(?:^|\/)alembic\.ini$/, dirIsFileDir: false },
  { tool: 'alembic', file: /(?:^|\/)(?:alembic|migrations)\/env\.py$/, dirIsFileDir: true },
  { tool: 'django', file: /(?:^|\/)migrations\/\d{4}_\w+\.py$/, dirIsFileDir: true },
  {
    tool: 'flyway',
    file: /(?:^|\/)db\/migration\/V[\w.]+__[\w.-]+\.(?:sql|java|kt)$/,
    dirIsFileDir: true,
  },
  {
    tool: 'liquibase',
    file: /(?:^|\/)db\/changelog\/[^/]+\.(?:xml|ya?ml|sql|json)$/,
    dirIsFileDir: true,
  },
  { tool: 'knex', file: /(?:^|\/)knexfile\.[cm]?[jt]s$/, dirIsFileDir: false },
  { tool: 'sequelize', file: /(?:^|\/)\.sequelizerc$/, dirIsFileDir: false },
  { tool: 'drizzle-kit', file: /(?:^|\/)drizzle\.config\.[cm]?[jt]s$/, dirIsFileDir: false },
  {
    tool: null,
    file: /(?:^|\/)(?:migrations?|db\/migrate)\/[^/]+\.(?:sql|[cm]?[jt]s|go)$/,
    dirIsFileDir: true,
  },
];

export async function detectOrm(
  manifest: ProjectManifest,
  framework: Claim<string> | null,
  ownFiles: readonly string[],
  view: RepoView,
): Promise<Claim<string> | null> {
  const found = lookup(ORMS[manifest.ecosystem], manifest.deps);
  if (found) return claimOf(found.meaning, found.at);
  if (framework?.value === 'django') {
    for (const file of ownFiles) {
      if (!file.endsWith('models.py')) continue;
      const line = findLine((await view.text(file)) ?? '', /models\.Model\b/);
      if (line) return claimOf('django-orm', ev(file, line));
    }
  }
  return null;
}

export async function detectMigrations(
  manifest: ProjectManifest,
  ownFiles: readonly string[],
  view: RepoView,
): Promise<Claim<{ tool: string; path: string }> | null> {
  const dep = lookup(MIGRATION_DEPS[manifest.ecosystem], manifest.deps);
  // One cheap test per file first; the layout patterns then run on the few that pass.
  const candidates = ownFiles.filter((path) => MIGRATION_HINT.test(path));
  for (const layout of LAYOUTS) {
    const file = candidates.find((path) => layout.file.test(path));
    if (!file) continue;
    const tool = layout.tool ?? dep?.meaning ?? 'sql-files';
    const path = await migrationsDir(layout, file, view);
    const evidence = [ev(file)];
    if (dep && dep.meaning === tool) evidence.push(dep.at);
    return claimOf({ tool, path }, ...evidence);
  }
  return null;
}

async function migrationsDir(layout: Layout, file: string, view: RepoView): Promise<string> {
  if (layout.dirIsFileDir) return dirOf(file);
  if (layout.tool === 'prisma')
    return file.slice(0, file.indexOf('prisma/migrations/') + 'prisma/migrations'.length);
  if (layout.tool === 'alembic') {
    const location = /^\s*script_location\s*=\s*(\S+)/m.exec((await view.text(file)) ?? '')?.[1];
    if (location) return joinPath(dirOf(file), location.replace(/^%\(here\)s\/?/, ''));
  }
  const sibling = joinPath(dirOf(file), 'migrations');
  return view.hasDir(sibling) ? sibling : file;
}

export function detectQueues(manifest: ProjectManifest): Array<Claim<string>> {
  return lookupAll(QUEUES[manifest.ecosystem], manifest.deps).map(({ meaning, at }) =>
    claimOf(meaning, at),
  );
}
