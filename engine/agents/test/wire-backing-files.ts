/**
 * The files a service's container gets beside its env (issue 14): the compose secrets its compose
 * service mounts, at the paths its code reads them from (/run/secrets/db-password, or a long
 * syntax `target`). Pure: `signals` (readRepositorySignals) carries the mounts and what the
 * repository gives each; `started` carries the datastores' passwords.
 *
 * A secret the stack's datastore reads as the password of the user the app logs in as
 * (`MYSQL_ROOT_PASSWORD_FILE`, `POSTGRES_PASSWORD_FILE`, …: passwordVariables) holds the started
 * datastore's password, so the app's copy and the database agree whatever password the datastore
 * was started with (the repository's in the tests stage, a generated one in an environment). Any
 * other secret holds what the repository gives it (its `file:`, or its `environment:` value).
 * A secret the repository cannot give (outside the checkout, external) gets no file.
 *
 * The contents are secrets: the caller registers them with its redactor (registerBackingFiles)
 * and never logs them; they reach a container through the archive API, never the host's disk.
 */
import type { Fingerprint, Service } from '../repo-auditor/fingerprint.ts';
import type { Redactor } from '../../secrets/redact.ts';
import { passwordSecretsOf } from './compose-credentials.ts';
import { composeNamesOf } from './datastores.ts';
import { NO_SIGNALS, type RepositorySignals } from './repository-signals.ts';
import type { StartedBackingService } from './wire-backing-services.ts';

/** Absolute container path → content, for each secret `service`'s compose service mounts. */
export function wireBackingFiles(
  service: Service,
  fingerprint: Fingerprint,
  started: StartedBackingService[],
  signals: RepositorySignals = NO_SIGNALS,
): Record<string, string> {
  const files: Record<string, string> = {};
  for (const mount of signals.composeSecrets) {
    const content = datastorePassword(mount.name, service, fingerprint, started, signals);
    if (content !== null) files[mount.target] = content;
    else if (mount.content !== null) files[mount.target] = mount.content;
  }
  return files;
}

/** Why each secret the service mounts gets no file, for a progress line (no content in it). */
export function unavailableBackingFiles(
  files: Record<string, string>,
  signals: RepositorySignals,
): string[] {
  return signals.composeSecrets
    .filter((mount) => files[mount.target] === undefined && mount.unavailable !== null)
    .map((mount) => `${mount.target}: ${mount.unavailable}`);
}

/** Registers every file's content with `redactor` (those it can: 4 characters or more). */
export function registerBackingFiles(files: Record<string, string>, redactor: Redactor): void {
  for (const content of Object.values(files)) {
    for (const value of new Set([content, content.trim()]))
      if (value.length >= 4) redactor.register(value);
  }
}

/**
 * The password of the started datastore whose compose service reads `secret` as the password
 * of the user that datastore was started with, or null when none does.
 */
function datastorePassword(
  secret: string,
  service: Service,
  fingerprint: Fingerprint,
  started: StartedBackingService[],
  signals: RepositorySignals,
): string | null {
  for (const instance of started) {
    if (instance.password === null) continue;
    // Its compose services: every one of its kind in the stack (their names are its aliases).
    const names = composeNamesOf(instance.datastore, service, fingerprint);
    const reads = signals.composeStack.some(
      (stack) =>
        names.includes(stack.name) &&
        passwordSecretsOf(instance.datastore, stack, instance.user).includes(secret),
    );
    if (reads) return instance.password;
  }
  return null;
}
