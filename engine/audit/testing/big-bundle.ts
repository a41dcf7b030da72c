import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { dataDirLayout } from '../../store/data-dir.ts';
import { exportAuditBundle } from '../bundle-export.ts';
import { auditFixture, type AuditFixture } from './audit-fixture.ts';
import { seedArtifact, seedProject } from './seed.ts';

export interface BigBundle {
  fixture: AuditFixture;
  archive: Buffer;
  artifactSha: string;
  artifactSeq: number;
}

/** A 10,000-entry log with an artifact, exported whole (tests only). */
export function bigBundle(entries = 10_000): BigBundle {
  const fixture = auditFixture();
  const { db } = fixture.store;
  seedProject(db, 'prj_big');
  const artifactSha = seedArtifact(
    db,
    dataDirLayout(fixture.dir).artifacts,
    'prj_big',
    'plan.json',
    JSON.stringify({ plan: 'deploy', replicas: 3 }),
  );
  fixture.fill(entries / 2 - 1);
  const { seq: artifactSeq } = fixture.sink.append(db, {
    actor: { user: 'alice' },
    action: 'plan.created',
    target: 'project:prj_big',
    meta: { artifact: { sha256: artifactSha } },
  });
  fixture.fill(entries / 2);
  const out = join(fixture.dir, 'bundle.tar.gz');
  exportAuditBundle({ db, signer: fixture.key, outFile: out });
  fixture.store.close();
  return { fixture, archive: readFileSync(out), artifactSha, artifactSeq };
}
