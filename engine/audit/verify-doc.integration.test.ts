import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dataDirLayout } from '../store/data-dir.ts';
import { exportAuditBundle } from './bundle-export.ts';
import { rotateWorkstationKey } from './key-rotation.ts';
import { auditFixture, type AuditFixture } from './testing/audit-fixture.ts';
import { seedArtifact, seedProject } from './testing/seed.ts';
import { signTreeHead } from './tree-head.ts';
import { verifyScript } from './verify-doc.ts';

let fixture: AuditFixture;
afterEach(() => fixture?.cleanup());

/** Unpacks with GNU tar and runs VERIFY.md's bash blocks, as an auditor would. */
function followVerifyMd(dir: string, archive: string, tamper?: (dir: string) => void) {
  mkdirSync(dir);
  const untar = spawnSync('tar', ['-xzf', archive, '-C', dir]);
  expect(untar.status).toBe(0);
  tamper?.(dir);
  const script = verifyScript(readFileSync(join(dir, 'VERIFY.md'), 'utf8'));
  return spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8' });
}

describe('VERIFY.md', () => {
  let archive: string;

  function exportSample(): void {
    fixture = auditFixture();
    const { db } = fixture.store;
    seedProject(db, 'prj_v');
    const sha = seedArtifact(
      db,
      dataDirLayout(fixture.dir).artifacts,
      'prj_v',
      'sbom.json',
      '{"bomFormat":"CycloneDX"}',
    );
    fixture.fill(12);
    fixture.sink.append(db, {
      actor: { user: 'alice' },
      action: 'sbom.created',
      target: 'project:prj_v',
      meta: { artifact: { sha256: sha } },
    });
    signTreeHead(db, fixture.key);
    rotateWorkstationKey({
      db,
      sink: fixture.sink,
      keyFile: join(fixture.dir, 'keys', 'workstation.key.json'),
      actor: 'alice',
      scryptCost: 1024,
      passphrase: 'pw',
    });
    fixture.fill(7);
    archive = join(fixture.dir, 'bundle.tar.gz');
    exportAuditBundle({ db, signer: fixture.sink.signerKey(fixture.sink.keyId), outFile: archive });
  }

  it('its documented procedure with sha256sum, openssl and jq passes on an intact bundle', () => {
    exportSample();
    const run = followVerifyMd(join(fixture.dir, 'ok'), archive);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('6. every entry is in the signed tree');
    expect(run.stdout.trim().split('\n').pop()).toBe('ALL CHECKS PASSED');
    expect(run.status).toBe(0);
  });

  it('its procedure stops on an edited entry, an unlisted file and a forged SHA256SUMS', () => {
    exportSample();
    const editEntry = followVerifyMd(join(fixture.dir, 'edit'), archive, (dir) => {
      const file = join(dir, 'entries.jsonl');
      writeFileSync(file, readFileSync(file, 'utf8').replace('"ok":true', '"ok":false'));
    });
    expect(editEntry.status).not.toBe(0);
    expect(editEntry.stdout).not.toContain('ALL CHECKS PASSED');

    const extraFile = followVerifyMd(join(fixture.dir, 'extra'), archive, (dir) =>
      writeFileSync(join(dir, 'note.txt'), 'x'),
    );
    expect(extraFile.status).not.toBe(0);

    const forgedSums = followVerifyMd(join(fixture.dir, 'forged'), archive, (dir) => {
      appendFileSync(join(dir, 'SHA256SUMS'), `${'0'.repeat(64)}  note.txt\n`);
    });
    expect(forgedSums.status).not.toBe(0);
    expect(forgedSums.stdout + forgedSums.stderr).toMatch(/Signature Verification Failure/i);
  });

  it('the ProdSprint verifier itself runs offline on pure Node: no native module is loaded', () => {
    exportSample();
    const verifier = new URL('./bundle-verify.ts', import.meta.url).href;
    const script = `
      const { verifyAuditBundle } = await import(${JSON.stringify(verifier)});
      const result = await verifyAuditBundle(${JSON.stringify(archive)});
      const natives = process.report.getReport().sharedObjects.filter((file) => file.endsWith('.node'));
      console.log(JSON.stringify({ ok: result.ok, natives }));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ ok: true, natives: [] });
  });
});
