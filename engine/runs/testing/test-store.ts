import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../store/database.ts';
import { insertProject } from '../../store/repositories/projects.ts';
import { ensureLocalIdentity } from '../../store/repositories/workspaces.ts';

export interface TestStore {
  store: Store;
  dataDir: string;
  /** Creates a project to run things against. */
  project(name?: string): string;
  dispose(): void;
}

/** A migrated store in a fresh temp dir, with the local identity set up. */
export function openTestStore(
  dataDir = mkdtempSync(join(tmpdir(), 'prodsprint-runs-')),
): TestStore {
  const store = openStore(dataDir);
  const identity = ensureLocalIdentity(store.db, {
    email: 'operator@example.test',
    displayName: 'Operator',
  });
  let count = 0;
  return {
    store,
    dataDir,
    project: (name = `project-${++count}`) =>
      insertProject(store.db, {
        workspaceId: identity.workspace.id,
        name,
        repoUrl: `file:///repos/${name}`,
      }).id,
    dispose: () => {
      store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
