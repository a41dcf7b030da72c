/**
 * The offline-input settings as the build path reads them (issue 14): the registry mirror for
 * `FROM` images and the package mirrors the relay forwards to, and the one place a mirror's
 * credential reference (`env:NAME`) becomes an Authorization header. The value is registered
 * with the redactor the moment it is read, so it is masked in every line that follows; it goes
 * only into the relay's upstream requests (or a registry pull's auth), never into build args.
 */
import { SETTINGS, type MirrorSetting, type SettingKey } from '../../contract/config.contract.ts';
import type { Redactor } from '../../secrets/redact.ts';
import { OfflineInputMissingError } from '../../system/offline-input.ts';
import type { Db } from '../../store/database.ts';
import { readSetting } from '../../store/repositories/settings.ts';

export type PackageEcosystem = 'npm' | 'pypi' | 'go' | 'maven';
export const PACKAGE_ECOSYSTEMS: readonly PackageEcosystem[] = ['npm', 'pypi', 'go', 'maven'];

/** A configured mirror and the setting it came from (for error messages and remedies). */
export interface Mirror extends MirrorSetting {
  key: SettingKey;
}

export interface OfflineSettings {
  registryMirror?: Mirror;
  mirrors: Partial<Record<PackageEcosystem, Mirror>>;
}

/** The mirrors configured with `prodsprint config set`; a key that is not set is absent. */
export function readOfflineSettings(db: Db): OfflineSettings {
  const read = (key: SettingKey): Mirror | undefined => {
    const stored = readSetting(db, key, SETTINGS[key].schema);
    return stored && { key, ...stored.value };
  };
  const settings: OfflineSettings = { mirrors: {} };
  const registryMirror = read('registry.mirror');
  if (registryMirror) settings.registryMirror = registryMirror;
  for (const ecosystem of PACKAGE_ECOSYSTEMS) {
    const mirror = read(`mirrors.${ecosystem}`);
    if (mirror) settings.mirrors[ecosystem] = mirror;
  }
  return settings;
}

/**
 * The Authorization header for a mirror: the variable its credentialRef names holds a token
 * (`Bearer`) or `user:password` (`Basic`). Registers the value (and a password on its own) with
 * the redactor. Throws OfflineInputMissingError, naming the variable, when it is not set.
 */
export function resolveMirrorCredential(
  mirror: Pick<Mirror, 'key' | 'url' | 'credentialRef'>,
  env: NodeJS.ProcessEnv,
  redactor: Redactor,
): { authorization?: string } {
  if (!mirror.credentialRef) return {};
  const name = mirror.credentialRef.slice('env:'.length);
  const value = env[name]?.trim();
  if (!value) {
    const ecosystem = mirror.key.startsWith('mirrors.') ? mirror.key.slice('mirrors.'.length) : '';
    throw new OfflineInputMissingError(
      ecosystem
        ? { kind: 'package-mirror', name: ecosystem }
        : { kind: 'base-image', name: 'registry mirror' },
      `the credential of ${mirror.key} (${mirror.url}) is read from the environment variable ${name}, which is not set`,
      `export ${name}=<token> (or <user>:<password>) where ProdSprint runs, or point ${mirror.key} at another variable with \`prodsprint config set ${mirror.key} ${mirror.url} --credential-ref env:NAME\``,
    );
  }
  if (value.length >= 4) redactor.register(value);
  const colon = value.indexOf(':');
  if (colon <= 0) return { authorization: `Bearer ${value}` };
  const password = value.slice(colon + 1);
  if (password.length >= 4) redactor.register(password);
  return { authorization: `Basic ${Buffer.from(value).toString('base64')}` };
}
