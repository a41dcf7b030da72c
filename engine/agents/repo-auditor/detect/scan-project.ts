/**
 * Chooses and scans the source files of one project within a read budget, so a 100,000-file
 * monorepo costs a bounded number of reads: entry-like files and shallow files first (see
 * scanPriority), at most MAX_FILES_PER_PROJECT per project and MAX_FILES_TOTAL per audit.
 * Spring configuration (application*.properties / .yml) is read for server.port and ${VARS}.
 */
import { baseName, ev, findLine } from '../evidence.ts';
import type { Evidence } from '../fingerprint.ts';
import type { ProjectManifest } from '../manifest.ts';
import { isRecord } from '../parsers/compose.ts';
import { parseYaml } from '../parsers/yaml-safe.ts';
import type { RepoView } from '../repo-view.ts';
import {
  emptyFacts,
  isMachineMadePath,
  isSourceFile,
  isTestFile,
  scanPriority,
  scanSource,
} from './source-scan.ts';
import type { SourceFacts } from './source-scan.ts';

export const MAX_FILES_PER_PROJECT = 300;
export const MAX_FILES_TOTAL = 6000;
/** Test runner and bundler configs: their ports (Karma's 9876) are the tool's, not the app's. */
const TOOL_CONFIG =
  /(?:^|\/)(?:karma|jest|vitest|playwright|cypress|protractor|wdio|webpack|rollup|vite|babel)\.conf(?:ig)?(?:\.[\w-]+)?\.[cm]?[jt]s$/;

/** Source files over this are generated or vendored code, not where ports are chosen. */
const MAX_SOURCE_BYTES = 256 * 1024;

export interface ProjectScan {
  facts: SourceFacts;
  configPorts: Array<{ port: number; evidence: Evidence }>;
}

export async function scanProject(
  manifest: ProjectManifest,
  ownFiles: readonly string[],
  view: RepoView,
  budget: { files: number },
): Promise<ProjectScan> {
  const eco = manifest.ecosystem;
  const candidates = scanPriority(
    ownFiles.filter(
      (file) =>
        isSourceFile(file, eco) &&
        !isTestFile(file, eco) &&
        !isMachineMadePath(file) &&
        !TOOL_CONFIG.test(file),
    ),
  );
  const allowed = Math.max(0, Math.min(MAX_FILES_PER_PROJECT, MAX_FILES_TOTAL - budget.files));
  const chosen = candidates.slice(0, allowed);
  budget.files += chosen.length;
  const texts = await Promise.all(chosen.map((file) => view.text(file, MAX_SOURCE_BYTES)));
  const facts: SourceFacts = emptyFacts();
  chosen.forEach((file, index) => {
    const text = texts[index];
    if (text === undefined) return;
    const found = scanSource(file, text, eco);
    facts.envVars.push(...found.envVars);
    facts.ports.push(...found.ports);
    facts.healthRoutes.push(...found.healthRoutes);
    facts.entries.push(...found.entries);
    for (const key of Object.keys(facts.frameworkHealth) as Array<
      keyof typeof facts.frameworkHealth
    >)
      (facts.frameworkHealth[key] as unknown[]).push(...found.frameworkHealth[key]);
  });
  const configPorts: ProjectScan['configPorts'] = [];
  if (eco === 'jvm') {
    for (const file of ownFiles.filter((path) =>
      /^application[\w-]*\.(?:properties|ya?ml)$/.test(baseName(path)),
    )) {
      const text = await view.text(file);
      if (text === undefined) continue;
      facts.envVars.push(...scanSource(file, text, 'jvm').envVars);
      const port = file.endsWith('.properties') ? propertiesPort(text) : yamlPort(text);
      if (port) configPorts.push({ port: port.port, evidence: ev(file, port.line) });
    }
  }
  return { facts, configPorts };
}

function propertiesPort(text: string): { port: number; line: number } | undefined {
  const match = /^\s*server\.port\s*[=:]\s*(\d{2,5})\s*$/m.exec(text);
  return match ? { port: Number(match[1]), line: findLine(text, match[0]) ?? 1 } : undefined;
}

function yamlPort(text: string): { port: number; line: number } | undefined {
  const parsed = parseYaml(text);
  if (!parsed.ok) return undefined;
  for (const doc of parsed.docs) {
    const server = isRecord(doc.value) ? doc.value.server : undefined;
    const port = isRecord(server) ? Number(server.port) : Number.NaN;
    if (Number.isInteger(port) && port > 0 && port < 65536)
      return { port, line: doc.keyLine(['server', 'port']) };
  }
  return undefined;
}
