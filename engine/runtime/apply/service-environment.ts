/**
 * The environment variables a service's containers start with on the local target (issue 14).
 * Real services read dozens of variables and exit when a required one is missing: the database
 * URL, a session secret, API keys. A first run must start them without a person editing files,
 * so the values come, in order of trust, from:
 *   1. the port the release routes to (`PORT`),
 *   2. the backing services ProdSprint started for the environment (DATABASE_URL, REDIS_URL…),
 *   3. the repository's own `.env.example`-style template (what a developer copies on day one),
 *   4. a random value generated for the environment when the name says it is a secret
 *      (`*_SECRET`, `*_KEY`, `*_TOKEN`, `*PASSWORD*`…), kept so a redeploy reuses it.
 * Everything else is left unset, so the code's own default applies. What came from a template or
 * was generated is reported as a warning with its remedy: staging runs, but nobody should
 * mistake sample values for configuration.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Service } from '../../agents/repo-auditor/index.ts';
import { isEnvTemplate, parseEnvFile } from '../../agents/repo-auditor/parsers/env-file.ts';

export interface ServiceEnvironment {
  env: Record<string, string>;
  /** Names whose values are secrets: generated ones and template values of secret names. */
  secretNames: string[];
  warnings: Array<{ subject: string; reason: string; remedy: string }>;
}

export interface ServiceEnvironmentInput {
  service: Service;
  /** The repository checkout the fingerprint was read from. */
  repoDir: string;
  port: number;
  /** Values wired to the backing services that were started (they win over templates). */
  backing: Record<string, string>;
  /** The environment's kept secret for `name`, generated on first use (see secretStore). */
  secret(name: string): string;
  environment: string;
}

/** Names that hold secrets: never given a sample value, always generated. */
const SECRET_NAME = /(?:SECRET|PASSWORD|PASSWD|PASS|TOKEN|PRIVATE|SALT|CREDENTIAL|API_?KEY|_KEY)$/;
/** Template values that are placeholders, not values: `changeme`, `<…>`, `${…}`, `xxx`, `your-…`. */
const PLACEHOLDER =
  /^(?:|changeme|change[-_]?me|todo|xxx+|\*+|<[^>]*>|\$\{[^}]*\}|your[-_ ].*|replace[-_ ].*)$/i;

export function serviceEnvironment(input: ServiceEnvironmentInput): ServiceEnvironment {
  const env: Record<string, string> = { PORT: String(input.port) };
  const fromTemplate: string[] = [];
  const generated: string[] = [];
  const templates = templateValues(input.service, input.repoDir);
  for (const name of new Set(input.service.envVars.map((v) => v.value))) {
    if (name === 'PORT') continue;
    const wired = input.backing[name];
    if (wired !== undefined) {
      env[name] = wired;
      continue;
    }
    const sample = templates.get(name);
    if (SECRET_NAME.test(name)) {
      env[name] = input.secret(name);
      generated.push(name);
    } else if (sample !== undefined && !PLACEHOLDER.test(sample)) {
      env[name] = sample;
      fromTemplate.push(name);
    }
  }
  for (const [name, value] of Object.entries(input.backing)) env[name] ??= value;
  const warnings: ServiceEnvironment['warnings'] = [];
  if (fromTemplate.length > 0)
    warnings.push({
      subject: `service ${input.service.name}: configuration`,
      reason: `${input.environment} runs with the repository's sample values for ${listed(fromTemplate)}`,
      remedy: `set real values for ${input.environment} before it serves users (per-environment settings come with the secrets work)`,
    });
  if (generated.length > 0)
    warnings.push({
      subject: `service ${input.service.name}: secrets`,
      reason: `${input.environment} runs with secrets ProdSprint generated for it: ${listed(generated)}`,
      remedy: `supply the real secrets for ${input.environment} from your secret store`,
    });
  return { env, secretNames: generated, warnings };
}

/** Values of the `.env.example`-style templates the auditor read the service's names from. */
function templateValues(service: Service, repoDir: string): Map<string, string> {
  const files = new Set(
    service.envVars.flatMap((v) => v.evidence.map((e) => e.file)).filter(isTemplatePath),
  );
  const values = new Map<string, string>();
  for (const file of [...files].sort()) {
    let text: string;
    try {
      text = readFileSync(join(repoDir, file), 'utf8');
    } catch {
      continue;
    }
    for (const entry of parseEnvFile(text))
      if (entry.hasValue && !values.has(entry.name)) values.set(entry.name, entry.value);
  }
  return values;
}

function isTemplatePath(file: string): boolean {
  return isEnvTemplate(file.split('/').pop() ?? '');
}

function listed(names: string[]): string {
  const shown = names.slice(0, 6).join(', ');
  return names.length > 6 ? `${shown} and ${names.length - 6} more` : shown;
}
