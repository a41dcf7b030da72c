/**
 * Misconfiguration checks with Trivy's embedded policies (`trivy config`), offline: Dockerfiles,
 * Kubernetes manifests, Compose, Terraform. Findings keep the check, place and remediation;
 * Trivy's `Code` excerpts are not read (a manifest line can hold a credential), and every kept
 * string passes through the redactor.
 * https://aquasecurity.github.io/trivy/latest/docs/scanner/misconfiguration/
 */
import { runTrivy } from './run-trivy.ts';
import type { TrivyRun } from './run-trivy.ts';

export interface MisconfigFinding {
  /** Trivy's stable id, e.g. `AVD-KSV-0017`. */
  id: string;
  /** The check's short id, e.g. `KSV017`. */
  checkId: string;
  title: string;
  severity: string;
  message: string;
  resolution: string;
  file: string;
  /** 0 when Trivy gives no line (a missing instruction has none). */
  line: number;
  endLine: number;
  url: string;
}

interface TrivyMisconfig {
  ID?: string;
  AVDID?: string;
  Title?: string;
  Message?: string;
  Resolution?: string;
  Severity?: string;
  Status?: string;
  PrimaryURL?: string;
  CauseMetadata?: { StartLine?: number; EndLine?: number };
}

interface TrivyConfigReport {
  Results?: Array<{ Target?: string; Misconfigurations?: TrivyMisconfig[] }>;
}

export const DEFAULT_SEVERITIES = ['HIGH', 'CRITICAL'];

export async function scanMisconfigurations(
  run: TrivyRun,
  dir: string,
  severities: string[] = DEFAULT_SEVERITIES,
): Promise<MisconfigFinding[]> {
  const { stdout } = await runTrivy(run, [
    'config',
    '--quiet',
    '--skip-policy-update',
    '--format',
    'json',
    '--severity',
    severities.join(','),
    dir,
  ]);
  return misconfigFindings(JSON.parse(stdout) as TrivyConfigReport, run.redactor);
}

/** Failed checks only, redacted, sorted by file, line and id. */
export function misconfigFindings(
  report: TrivyConfigReport,
  redactor: { redact(text: string): string },
): MisconfigFinding[] {
  const out: MisconfigFinding[] = [];
  for (const result of report.Results ?? []) {
    for (const check of result.Misconfigurations ?? []) {
      if (check.Status !== undefined && check.Status !== 'FAIL') continue;
      const line = check.CauseMetadata?.StartLine ?? 0;
      out.push({
        id: check.AVDID ?? check.ID ?? 'unknown',
        checkId: check.ID ?? '',
        title: redactor.redact(check.Title ?? ''),
        severity: check.Severity ?? 'UNKNOWN',
        message: redactor.redact(check.Message ?? ''),
        resolution: redactor.redact(check.Resolution ?? ''),
        file: redactor.redact(result.Target ?? ''),
        line,
        endLine: check.CauseMetadata?.EndLine ?? line,
        url: check.PrimaryURL ?? '',
      });
    }
  }
  return out.sort((a, b) =>
    a.file !== b.file
      ? a.file < b.file
        ? -1
        : 1
      : a.line - b.line || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}
