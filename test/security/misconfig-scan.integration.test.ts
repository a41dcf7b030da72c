/**
 * Trivy's embedded misconfiguration checks run offline on a project's Dockerfile and
 * Kubernetes manifests; failed checks come back with file and line, passing ones do not.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanMisconfigurations } from '../../engine/agents/security/trivy/misconfig-scan.ts';
import { locateTrivy } from '../../engine/agents/security/trivy/trivy-binary.ts';
import { Redactor } from '../../engine/secrets/redact.ts';
import { writeTree } from '../fixtures/repos/build-repo.ts';

const root = mkdtempSync(join(tmpdir(), 'prodsprint-misconfig-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const trivy = locateTrivy({ searchPath: false });

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
    - name: api
      image: registry.internal/shop/api@sha256:${'a'.repeat(64)}
      securityContext:
        privileged: true
`;

describe('misconfiguration scan with Trivy', () => {
  if (!trivy.found) {
    it.skip(`skipped: ${trivy.reason}`, () => {});
    return;
  }
  const run = { binary: trivy.path, cacheDir: join(root, 'cache'), redactor: new Redactor() };

  it('reports a root Dockerfile and a privileged pod, and passes a hardened Dockerfile', async () => {
    const bad = join(root, 'bad');
    writeTree(bad, {
      Dockerfile: 'FROM node:20-alpine\nCOPY . .\nCMD ["node", "index.js"]\n',
      'k8s/pod.yaml': POD,
    });
    const findings = await scanMisconfigurations(run, bad);
    expect(findings.map((f) => [f.file, f.checkId, f.severity])).toEqual(
      expect.arrayContaining([
        ['Dockerfile', 'DS002', 'HIGH'],
        ['k8s/pod.yaml', 'KSV017', 'HIGH'],
      ]),
    );
    const privileged = findings.find((f) => f.checkId === 'KSV017')!;
    expect(privileged).toMatchObject({ id: 'AVD-KSV-0017', line: 7 });
    expect(privileged.resolution).not.toBe('');

    const good = join(root, 'good');
    writeTree(good, {
      Dockerfile:
        'FROM node:20-alpine\nCOPY . .\nUSER node\nHEALTHCHECK CMD wget -qO- localhost:3000/healthz\nCMD ["node", "index.js"]\n',
    });
    expect((await scanMisconfigurations(run, good)).map((f) => f.checkId)).not.toContain('DS002');
  });
});
