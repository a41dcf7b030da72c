/**
 * The generated pipelines' policy gate, run as CI would run it (issue 15): the plan's own
 * `.prodsprint/gate-input.mjs` turns a run's evidence into a gate input document, and the real
 * `prodsprint policy eval <pack> --input` decides on it. The evidence files follow their owners'
 * documented output formats: the misconfiguration report is produced by the real Trivy
 * (`trivy config --format json`, offline with its embedded checks); the image report is Trivy's
 * JSON schema version 2 (the image scan needs a vulnerability database that cannot be fetched
 * here); the SBOM is CycloneDX 1.6 JSON; the perf summary is k6's `--summary-export` document.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateTrivy } from '../../engine/agents/security/trivy/trivy-binary.ts';
import { runCli } from '../support/run-cli.ts';
import { auditedPlanFor } from './audited-cases.ts';

let root: string;
let dataDir: string;
let script: string;

const sbom = {
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  version: 1,
  components: [
    { type: 'library', name: 'express', version: '4.21.2', purl: 'pkg:npm/express@4.21.2' },
  ],
};
const k6Summary = (p95: number, failed: number) => ({
  metrics: {
    http_req_duration: {
      avg: p95 / 2,
      min: 1,
      med: p95 / 2,
      max: p95 * 2,
      'p(90)': p95 * 0.9,
      'p(95)': p95,
    },
    http_req_failed: { passes: 0, fails: 100, value: failed },
  },
});
const imageReport = (vulnerabilities: object[]) => ({
  SchemaVersion: 2,
  ArtifactName: 'registry.internal/orders-api@sha256:0123',
  ArtifactType: 'container_image',
  Results: [
    {
      Target: 'app (debian 12.8)',
      Class: 'os-pkgs',
      Type: 'debian',
      Vulnerabilities: vulnerabilities,
    },
  ],
});

function writeJson(name: string, value: unknown): string {
  const file = join(root, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

/** The real Trivy's misconfiguration report for a folder holding one Dockerfile. */
function trivyConfigReport(name: string, dockerfile: string): string {
  const trivy = locateTrivy();
  if (!trivy.found) throw new Error(`trivy is required for this test: ${JSON.stringify(trivy)}`);
  const dir = mkdtempSync(join(root, `${name}-`));
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  const report = execFileSync(
    trivy.path,
    ['config', '--quiet', '--skip-policy-update', '--format', 'json', dir],
    { encoding: 'utf8', env: { ...process.env, TRIVY_CACHE_DIR: join(root, 'trivy-cache') } },
  );
  return writeJson(`${name}.json`, JSON.parse(report));
}

function gateInput(environment: string, evidence: Record<string, string>): string {
  const args = ['--environment', environment, '--author', 'ci-bot'];
  for (const [flag, file] of Object.entries(evidence)) args.push(`--${flag}`, file);
  const output = execFileSync(process.execPath, [script, ...args], { encoding: 'utf8' });
  return writeJson(
    `gate-input-${environment}-${Object.keys(evidence).join('-')}.json`,
    JSON.parse(output),
  );
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'prodsprint-gate-input-'));
  dataDir = join(root, 'data');
  const plan = await auditedPlanFor('audited/node-express-kubernetes');
  const artifact = plan.artifacts.find((a) => a.path === '.prodsprint/gate-input.mjs');
  if (!artifact) throw new Error('the plan has no .prodsprint/gate-input.mjs');
  script = join(root, 'gate-input.mjs');
  writeFileSync(script, artifact.content);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const evalPack = (pack: string, input: string) =>
  runCli(['--data-dir', dataDir, 'policy', 'eval', pack, '--input', input, '--json']);

describe('the generated gate input script with the real policy CLI', () => {
  it('given a critical image vulnerability and a root Dockerfile, when gated for prod, then the gate denies on both with remedies', async () => {
    const input = gateInput('prod', {
      sbom: writeJson('sbom.cdx.json', sbom),
      vulns: writeJson(
        'image-vulns.json',
        imageReport([
          {
            VulnerabilityID: 'CVE-2024-56171',
            PkgName: 'libxml2',
            InstalledVersion: '2.9.14+dfsg-1.3',
            FixedVersion: '2.9.14+dfsg-1.3~deb12u1',
            Severity: 'CRITICAL',
          },
        ]),
      ),
      config: trivyConfigReport('root', 'FROM debian:12-slim\nRUN echo hi\nCMD ["sh"]\n'),
      perf: writeJson('k6-slow.json', k6Summary(120, 0)),
    });
    const result = await evalPack('baseline', input);
    expect(result.code, result.stderr).toBe(6);
    const decision = JSON.parse(result.stdout);
    const reasons = decision.deny
      .map((d: { rule: string; message: string }) => `${d.rule}: ${d.message}`)
      .join('\n');
    expect(reasons).toMatch(/CVE-2024-56171/);
    // Trivy's DS002 (image runs as root) is HIGH: a prod gate denies on it.
    expect(reasons).toMatch(/DS002|root/i);
    // No coverage report was given: the gate denies on the missing measurement, never passes it.
    expect(reasons).toMatch(/coverage/i);
  });

  it('given clean evidence within budget, when gated for staging, then nothing the run measured is denied', async () => {
    const input = gateInput('staging', {
      coverage: `lcov:${(() => {
        const file = join(root, 'lcov.info');
        writeFileSync(file, 'SF:src/app.js\nLF:100\nLH:91\nend_of_record\n');
        return file;
      })()}`,
      sbom: writeJson('sbom-clean.cdx.json', sbom),
      vulns: writeJson('image-clean.json', imageReport([])),
      config: trivyConfigReport(
        'non-root',
        'FROM debian:12-slim\nRUN useradd -r app\nUSER app\nHEALTHCHECK CMD ["true"]\nCMD ["sh"]\n',
      ),
      perf: writeJson('k6-fast.json', k6Summary(80, 0.001)),
    });
    const result = await evalPack('baseline', input);
    const decision = JSON.parse(result.stdout);
    // Approvals are kept by ProdSprint, not by CI (the script leaves them empty): the one denial.
    expect(decision.deny.map((d: { rule: string }) => d.rule)).toEqual(['baseline.approvals']);
  });

  it('given no --environment, when run, then it says so and exits 2', () => {
    let failure: { status: number; stderr: string } | undefined;
    try {
      execFileSync(process.execPath, [script], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      failure = error as { status: number; stderr: string };
    }
    expect(failure?.status).toBe(2);
    expect(failure?.stderr).toMatch(/--environment is required/);
  });
});
