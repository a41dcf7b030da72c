/**
 * Committed secrets. Three signals, each reported at file:line and never with the value:
 *  - credential shapes from the redactor (private keys, cloud and forge tokens) in any text
 *    the audit reads, plus config-like files read for this purpose;
 *  - `NAME=value` in committed .env files (not templates) when NAME says it is a secret and
 *    the value is not an obvious placeholder;
 *  - Kubernetes Secret objects committed as manifests.
 * Loose shapes (`password=…`, URL passwords) are only trusted in env/properties/ini files:
 * in source code they match `password = os.getenv(...)` far more often than a real secret.
 */
import { SECRET_SHAPES } from '../../../secrets/redact.ts';
import { baseName, ev, matchesWithLines } from '../evidence.ts';
import type { Evidence } from '../fingerprint.ts';
import type { GapList } from '../gap-list.ts';
import { isEnvFile, isEnvTemplate, parseEnvFile } from '../parsers/env-file.ts';
import type { RepoView } from '../repo-view.ts';

const LOOSE_SHAPES = new Set(['password-assignment', 'url-password', 'authorization-header']);
const CONFIG_FILE =
  /\.(?:ya?ml|properties|ini|cfg|conf|toml|tfvars|npmrc|pypirc|netrc|pem|key)$|^\.(?:npmrc|pypirc|netrc)$|^id_(?:rsa|dsa|ecdsa|ed25519)$|^\.env(?:\.[\w.-]+)?$/;
const LOOSE_OK =
  /\.(?:properties|ini|cfg|conf|tfvars)$|^\.(?:npmrc|pypirc|netrc)$|^\.env(?:\.[\w.-]+)?$/;
const LOCKFILE =
  /(?:^|\/)(?:package-lock\.json|pnpm-lock\.yaml|yarn\.lock|poetry\.lock|uv\.lock|Pipfile\.lock|go\.sum)$/;
const SECRET_NAME =
  /(?:PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?|ACCESS_?KEY)/i;
const PLACEHOLDER =
  /^(?:<.*>|\$\{.*\}|\$\w+|x+|\*+|changeme|change-me|todo|dummy|example|placeholder|your[-_].*|secret|password|none|null|test|dev)$/i;
const MAX_CONFIG_FILES = 2000;

export async function findCommittedSecrets(
  view: RepoView,
  alreadyRead: readonly string[],
  gaps: GapList,
): Promise<void> {
  const configFiles = view
    .namedLike((name) => CONFIG_FILE.test(name))
    .filter((path) => !LOCKFILE.test(path))
    .slice(0, MAX_CONFIG_FILES);
  const paths = [
    ...new Set([...alreadyRead.filter((path) => !LOCKFILE.test(path)), ...configFiles]),
  ].sort();
  const found = new Map<string, { message: string; evidence: Evidence }>();
  const report = (file: string, line: number, message: string) => {
    const key = `${file}:${line}`;
    if (!found.has(key)) found.set(key, { message, evidence: ev(file, line) });
  };

  for (const path of paths) {
    const text = await view.text(path);
    if (text === undefined) continue;
    const name = baseName(path);
    for (const shape of SECRET_SHAPES) {
      if (LOOSE_SHAPES.has(shape.name) && !LOOSE_OK.test(name)) continue;
      for (const { match, line } of matchesWithLines(
        text,
        new RegExp(shape.pattern.source, shape.pattern.flags),
      )) {
        const value = shape.group === undefined ? match[0] : (match[shape.group] ?? '');
        if (PLACEHOLDER.test(value.replace(/^["']|["']$/g, ''))) continue;
        report(path, line, `${path}:${line} contains what looks like a credential (${shape.name})`);
      }
    }
    if (isEnvFile(name) && !isEnvTemplate(name)) {
      for (const entry of parseEnvFile(text)) {
        if (entry.hasValue && SECRET_NAME.test(entry.name) && !PLACEHOLDER.test(entry.value)) {
          report(path, entry.line, `${path}:${entry.line} commits a value for ${entry.name}`);
        }
      }
    }
  }
  for (const { message, evidence } of found.values())
    gaps.add('committed-secret', null, message, [evidence]);
}

/** Kubernetes Secret objects committed as manifests (their base64 data is not encryption). */
export function reportK8sSecrets(
  manifests: Array<{ path: string; resources: Array<{ kind: string; evidence: Evidence[] }> }>,
  gaps: GapList,
): void {
  for (const manifest of manifests) {
    for (const resource of manifest.resources) {
      if (resource.kind !== 'Secret') continue;
      const evidence = resource.evidence[0] ?? ev(manifest.path);
      gaps.add(
        'committed-secret',
        null,
        `${manifest.path}:${evidence.line} defines a Kubernetes Secret in the repository`,
        [evidence],
      );
    }
  }
}
