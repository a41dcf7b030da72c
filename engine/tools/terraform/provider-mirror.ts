/**
 * The Terraform provider filesystem mirror an air-gapped site keeps (issue 15): the directory
 * whose `registry.terraform.io/<namespace>/<type>/…` tree `terraform init -plugin-dir` installs
 * from, so nothing is fetched from the public registry. A setting would need a non-URL value the
 * `config` contract does not have, so the mirror is found from `PRODSPRINT_TF_PLUGIN_DIR`, else
 * from the places Terraform itself and air-gapped images put one (listed in MIRROR_SEARCH).
 *
 * Both layouts Terraform reads are understood: unpacked
 * (`<host>/<ns>/<type>/<version>/<os>_<arch>/terraform-provider-…`) and packed
 * (`<host>/<ns>/<type>/terraform-provider-<type>_<version>_<os>_<arch>.zip`).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const MIRROR_ENV = 'PRODSPRINT_TF_PLUGIN_DIR';
export const REGISTRY_HOST = 'registry.terraform.io';

/**
 * Where a mirror is looked for when PRODSPRINT_TF_PLUGIN_DIR is unset, in order: Terraform's
 * implied local mirror directories on Unix (its CLI docs, "Implied Local Mirror Directories"),
 * then `/opt/*` and `/srv/*` one level down (where images bake one, e.g. /opt/tf-plugins).
 */
export function mirrorCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME ?? homedir();
  const dataHome = env.XDG_DATA_HOME ?? join(home, '.local', 'share');
  const fixed = [
    join(home, '.terraform.d', 'plugins'),
    join(dataHome, 'terraform', 'plugins'),
    '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins',
  ];
  const oneLevel = ['/opt', '/srv'].flatMap((root) => subdirectories(root));
  return [...fixed, ...oneLevel];
}

function subdirectories(root: string): string[] {
  try {
    return readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(root, entry.name))
      .sort();
  } catch {
    return [];
  }
}

export type MirrorLookup =
  | { found: true; dir: string; from: 'env' | 'search' }
  | { found: false; reason: string; remedy: string };

const hasRegistryTree = (dir: string): boolean => {
  try {
    return statSync(join(dir, REGISTRY_HOST)).isDirectory();
  } catch {
    return false;
  }
};

/** The provider mirror to install from: PRODSPRINT_TF_PLUGIN_DIR, else the first candidate. */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env): MirrorLookup {
  const configured = env[MIRROR_ENV];
  if (configured) {
    if (hasRegistryTree(configured)) return { found: true, dir: configured, from: 'env' };
    return {
      found: false,
      reason: `${MIRROR_ENV}=${configured} has no ${REGISTRY_HOST}/ directory, so it is not a provider mirror`,
      remedy: `point ${MIRROR_ENV} at the directory that contains ${REGISTRY_HOST}/ (the -plugin-dir of terraform init), or fill it with \`terraform providers mirror <dir>\` on a connected machine and copy it here`,
    };
  }
  const dir = mirrorCandidates(env).find(hasRegistryTree);
  if (dir) return { found: true, dir, from: 'search' };
  return {
    found: false,
    reason: `no Terraform provider mirror was found (${MIRROR_ENV} is unset and none of ~/.terraform.d/plugins, ~/.local/share/terraform/plugins, /usr/local/share/terraform/plugins, /usr/share/terraform/plugins, /opt/*, /srv/* holds ${REGISTRY_HOST}/)`,
    remedy: `run \`terraform providers mirror <dir>\` on a connected machine for the providers the plan uses, copy <dir> here and export ${MIRROR_ENV}=<dir>`,
  };
}

/** `hashicorp/aws` → the versions of it the mirror holds for `platform` (e.g. linux_amd64). */
export function mirroredVersions(dir: string, source: string, platform: string): string[] {
  const providerDir = join(dir, REGISTRY_HOST, ...source.split('/'));
  if (!existsSync(providerDir)) return [];
  const type = source.split('/')[1] ?? '';
  const versions = new Set<string>();
  for (const entry of readdirSync(providerDir, { withFileTypes: true })) {
    if (entry.isDirectory() && existsSync(join(providerDir, entry.name, platform))) {
      versions.add(entry.name);
    } else if (entry.isFile()) {
      const prefix = `terraform-provider-${type}_`;
      const suffix = `_${platform}.zip`;
      if (entry.name.startsWith(prefix) && entry.name.endsWith(suffix)) {
        versions.add(entry.name.slice(prefix.length, -suffix.length));
      }
    }
  }
  return [...versions].sort();
}

/** This machine's platform in Terraform's spelling. */
export function terraformPlatform(): string {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const arch = process.arch === 'x64' ? 'amd64' : process.arch === 'ia32' ? '386' : process.arch;
  return `${os}_${arch}`;
}
