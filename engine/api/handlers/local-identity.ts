import type { Db } from '../../store/database.ts';
import { ensureLocalIdentity, type LocalIdentity } from '../../store/repositories/workspaces.ts';

/**
 * The workstation's one workspace and its operator, made on first use with the same defaults
 * `prodsprint init` uses, so every handler records state and audit entries against one identity.
 */
export function localIdentity(db: Db): LocalIdentity {
  return ensureLocalIdentity(db, { email: 'operator@localhost', displayName: 'Local operator' });
}
