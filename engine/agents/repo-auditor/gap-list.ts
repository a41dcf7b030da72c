/**
 * Gaps with their fixed remediations: one place that says what to do about each kind of gap,
 * so every producer reports it the same way.
 */
import type { Evidence, Gap, GapId } from './fingerprint.ts';

const CATALOG: Record<GapId, { severity: Gap['severity']; remediation: string }> = {
  'no-dockerfile': {
    severity: 'medium',
    remediation:
      'Add a Dockerfile for the service (ProdSprint can generate one from this fingerprint).',
  },
  'dockerfile-runs-as-root': {
    severity: 'medium',
    remediation:
      'Add a USER instruction with a non-root user to the final stage of the Dockerfile.',
  },
  'no-health-endpoint': {
    severity: 'medium',
    remediation:
      'Expose an HTTP health route (e.g. GET /healthz returning 200) so probes and canary gates can check the service.',
  },
  'no-tests': {
    severity: 'high',
    remediation: 'Add automated tests and run them in CI; release gates need a test result.',
  },
  'no-lockfile': {
    severity: 'high',
    remediation:
      'Commit the lockfile of the package manager (or pin every requirement) so builds are reproducible.',
  },
  'committed-secret': {
    severity: 'high',
    remediation:
      'Remove the secret from the repository, rotate it, and load it from the secrets store at run time.',
  },
  'orm-without-migrations': {
    severity: 'medium',
    remediation:
      'Adopt a migrations tool for the ORM (e.g. Alembic, Prisma Migrate, Flyway) and commit the migrations.',
  },
  'malformed-manifest': {
    severity: 'high',
    remediation:
      'Fix the syntax error in this file; until then it is ignored by the audit and will break builds.',
  },
  'unreadable-file': {
    severity: 'medium',
    remediation:
      'Store this file as UTF-8 text under 1 MiB; it could not be read as a manifest or configuration file.',
  },
  'symlink-outside-repo': {
    severity: 'medium',
    remediation:
      'Replace the symlink with the file it points to, or a link inside the repository; builds elsewhere will not have its target.',
  },
  'no-ci': {
    severity: 'medium',
    remediation:
      'Add a CI pipeline (ProdSprint can generate one) so every change is built and tested.',
  },
  'undocumented-env-var': {
    severity: 'low',
    remediation:
      'List every environment variable the service reads in a .env.example (with a placeholder, not a value).',
  },
};

export class GapList {
  private readonly gaps: Gap[] = [];

  add(id: GapId, service: string | null, message: string, evidence: Evidence[] = []): void {
    const { severity, remediation } = CATALOG[id];
    this.gaps.push({ id, severity, service, message, remediation, evidence });
  }

  /** Sorted for deterministic output: by service, then gap id, then first evidence. */
  list(): Gap[] {
    const key = (gap: Gap) =>
      `${gap.service ?? ''}\0${gap.id}\0${gap.evidence[0]?.file ?? ''}\0${String(gap.evidence[0]?.line ?? 0).padStart(8, '0')}\0${gap.message}`;
    return [...this.gaps].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }
}
