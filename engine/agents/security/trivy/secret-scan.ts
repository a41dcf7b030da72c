/**
 * Secret scanning with Trivy's built-in rules (`trivy fs --scanners secret`). Findings keep
 * what a reviewer needs (rule, file, line) and drop what would leak the secret: Trivy's
 * `Match` and `Code` snippets are never read into a finding, and every string that is kept
 * passes through the redactor (invariant 6), as do Trivy's logs and errors (run-trivy.ts).
 * https://aquasecurity.github.io/trivy/latest/docs/scanner/secret/
 */
import { runTrivy } from './run-trivy.ts';
import type { TrivyRun } from './run-trivy.ts';

export interface SecretFinding {
  ruleId: string;
  category: string;
  title: string;
  severity: string;
  /** Path relative to the scanned directory. */
  file: string;
  line: number;
  endLine: number;
}

interface TrivySecret {
  RuleID?: string;
  Category?: string;
  Title?: string;
  Severity?: string;
  StartLine?: number;
  EndLine?: number;
}

interface TrivyReport {
  Results?: Array<{ Target?: string; Class?: string; Secrets?: TrivySecret[] }>;
}

/** Scans `dir` for secrets; findings sorted by file and line. */
export async function scanSecrets(run: TrivyRun, dir: string): Promise<SecretFinding[]> {
  const { stdout } = await runTrivy(run, [
    'fs',
    '--quiet',
    '--offline-scan',
    '--scanners',
    'secret',
    '--format',
    'json',
    dir,
  ]);
  return secretFindings(JSON.parse(stdout) as TrivyReport, run.redactor);
}

/** Maps Trivy's JSON report to findings, keeping only non-secret fields, redacted. */
export function secretFindings(
  report: TrivyReport,
  redactor: { redact(text: string): string },
): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const result of report.Results ?? []) {
    for (const secret of result.Secrets ?? []) {
      findings.push({
        ruleId: redactor.redact(secret.RuleID ?? 'unknown'),
        category: redactor.redact(secret.Category ?? ''),
        title: redactor.redact(secret.Title ?? ''),
        severity: redactor.redact(secret.Severity ?? 'UNKNOWN'),
        file: redactor.redact(result.Target ?? ''),
        line: secret.StartLine ?? 0,
        endLine: secret.EndLine ?? secret.StartLine ?? 0,
      });
    }
  }
  return findings.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}
