/**
 * Issue 5 acceptance: every stack fixture, built as a real Git repository, is imported through
 * a real `git http-backend` on 127.0.0.1 with basic auth, and from a local path; its
 * fingerprint is asserted field by field, evidence included.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRepository } from '../../engine/agents/repo-auditor/audit.ts';
import { importRepository } from '../../engine/git/import-repository.ts';
import { startGitHttpServer } from '../support/git-http-server.ts';
import type { GitHttpServer } from '../support/git-http-server.ts';
import { describeFingerprint } from './describe-fingerprint.ts';
import type { FingerprintView } from './describe-fingerprint.ts';
import { EXPECTED, STACK_FIXTURES, materialise } from './fixtures.ts';

const USER = 'ci-reader';
const PASSWORD = 'fixture-pass-7d1e';

let root: string;
let server: GitHttpServer;
const commits = new Map<string, { workdir: string; commit: string }>();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ps-stacks-'));
  for (const [name, tree] of Object.entries(STACK_FIXTURES))
    commits.set(name, materialise(root, name, tree));
  server = await startGitHttpServer({
    projectRoot: join(root, 'served'),
    auth: { username: USER, password: PASSWORD },
  });
});

afterAll(async () => {
  await server?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

function expectFingerprint(name: string, actual: FingerprintView): void {
  const expected = EXPECTED[name];
  if (!expected) throw new Error(`no expectation for ${name}`);
  expect(Object.keys(actual.services).sort(), `${name}: service paths`).toEqual(
    Object.keys(expected.services).sort(),
  );
  for (const [path, fields] of Object.entries(expected.services)) {
    for (const [field, value] of Object.entries(fields)) {
      expect(actual.services[path]?.[field], `${name}: services[${path}].${field}`).toEqual(value);
    }
  }
  for (const key of [
    'monorepoTool',
    'ciConfigs',
    'composeFiles',
    'k8sManifests',
    'helmCharts',
    'gaps',
  ] as const) {
    expect(actual[key], `${name}: ${key}`).toEqual(expected[key]);
  }
  if (expected.processes)
    expect(actual.processes, `${name}: processes`).toEqual(expected.processes);
}

it('has an expectation for every stack fixture', () => {
  expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(STACK_FIXTURES).sort());
});

describe.each(Object.keys(STACK_FIXTURES))('%s', (name) => {
  it('imports over HTTP with basic auth and audits field by field', async () => {
    const imported = await importRepository({
      source: `${server.url}/${name}.git`,
      destDir: join(root, 'http', name),
      credentials: { kind: 'basic', username: USER, password: PASSWORD },
    });
    expect(imported).toMatchObject({
      transport: 'http',
      branch: 'main',
      commit: commits.get(name)?.commit,
      repoUrl: `${server.url}/${name}.git`,
    });
    expectFingerprint(name, describeFingerprint(await auditRepository(imported.dir)));
  });

  it('imports from a local path with the same result', async () => {
    const source = commits.get(name)?.workdir ?? '';
    const imported = await importRepository({ source, destDir: join(root, 'path', name) });
    expect(imported).toMatchObject({
      transport: 'local',
      branch: 'main',
      commit: commits.get(name)?.commit,
      repoUrl: source,
    });
    expectFingerprint(name, describeFingerprint(await auditRepository(imported.dir)));
  });
});

it('only ever asked the server for the read service (git-upload-pack)', () => {
  expect(server.requests.length).toBeGreaterThan(0);
  for (const request of server.requests)
    expect(request.url).toMatch(/(?:service=git-upload-pack$|\/git-upload-pack$)/);
});
