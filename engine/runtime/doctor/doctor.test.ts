import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_DOCKER_SOCKET } from '../../environments/local/docker-engine.ts';
import { openStore } from '../../store/database.ts';
import { locateDockerEngine } from './doctor-engine.ts';
import { checkDatabase, checkDataDir, checkDocker, checkNode, runDoctor } from './doctor.ts';

const engineDown = {
  version: async () => {
    throw new Error('down');
  },
  listImages: async () => {
    throw new Error('down');
  },
};

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'prodsprint-doctor-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('doctor checks', () => {
  it.each([
    ['20.20.2', 'fail'],
    ['22.11.0', 'fail'],
    ['22.12.0', 'ok'],
    ['24.21.0', 'ok'],
  ])('Node %s is %s', (version, status) => {
    const check = checkNode(version);
    expect(check.status).toBe(status);
    if (status === 'fail') expect(check.remedy).toMatch(/npm run setup/);
  });

  it('an absent data dir under a writable parent is fine (init will create it) and is not created', () => {
    const dataDir = join(root, 'a', 'b');
    expect(checkDataDir(dataDir)).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/will be created/),
    });
    expect(() => mkdirSync(dataDir)).toThrow();
  });

  it('a data dir path blocked by a file fails with a remedy', () => {
    writeFileSync(join(root, 'file'), '');
    expect(checkDataDir(join(root, 'file', 'data'))).toMatchObject({
      status: 'fail',
      remedy: expect.stringMatching(/--data-dir/),
    });
  });

  it('reports the database schema, or that there is none yet', () => {
    expect(checkDatabase(root)).toMatchObject({
      status: 'ok',
      remedy: expect.stringMatching(/prodsprint init/),
    });
    openStore(root).close();
    expect(checkDatabase(root)).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/at schema \d+/),
    });
  });

  it('a corrupt database fails the check, naming the file', () => {
    writeFileSync(join(root, 'prodsprint.db'), 'garbage'.repeat(1000));
    expect(checkDatabase(root)).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/prodsprint\.db is not a readable SQLite database/),
    });
  });

  it('an unreachable Docker Engine is a warning with a remedy, not a failure', async () => {
    const check = await checkDocker(
      new Docker({ socketPath: join(root, 'no-such.sock'), timeout: 1000 }),
    );
    expect(check).toMatchObject({
      status: 'warn',
      required: false,
      remedy: expect.stringMatching(/dockerd|DOCKER_HOST/),
    });
  });

  it('a missing tool is a warning with its remedy; a present one reports its version', async () => {
    const bin = join(root, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'k6'), '#!/bin/sh\necho "k6 v0.99.0 (fake for this test)"\n', {
      mode: 0o755,
    });
    const report = await runDoctor({
      dataDir: root,
      projectRoot: root,
      env: { PATH: bin },
      docker: engineDown,
    });
    const k6 = report.checks.find((check) => check.id === 'tool.k6');
    const opa = report.checks.find((check) => check.id === 'tool.opa');
    expect(k6).toMatchObject({ status: 'ok', detail: expect.stringContaining('k6 v0.99.0') });
    expect(opa).toMatchObject({ status: 'warn', remedy: expect.stringMatching(/opa/) });
    expect(report.ok).toBe(true);
  });

  it('an unusable DOCKER_HOST is what the Docker check reports, not another engine', async () => {
    const docker = await locateDockerEngine({ DOCKER_HOST: 'ssh://builder.internal' });
    expect(await checkDocker(docker)).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('DOCKER_HOST=ssh://builder.internal is not supported here'),
    });
  });

  it("with no engine anywhere, the Docker check warns (ProdSprint's own socket dir is asked too, read-only)", async () => {
    const docker = await locateDockerEngine({ PRODSPRINT_DOCKER_DIR: join(root, 'docker') });
    // Where the system's own engine runs, that is the one asked (and it answers).
    const status = existsSync(SYSTEM_DOCKER_SOCKET) ? 'ok' : 'warn';
    expect(await checkDocker(docker)).toMatchObject({ status, required: false });
    expect(() => mkdirSync(join(root, 'docker'))).not.toThrow();
  });

  it('lists the offline inputs after the tools; none configured never fails the checklist, and it stays quick', async () => {
    const started = Date.now();
    const report = await runDoctor({
      dataDir: join(root, 'data'),
      projectRoot: root,
      env: { PATH: '' },
      docker: engineDown,
    });
    expect(Date.now() - started).toBeLessThan(8000);
    const ids = report.checks.map((check) => check.id);
    expect(ids.indexOf('registry-mirror')).toBeGreaterThan(ids.indexOf('tool.chromium'));
    for (const id of [
      'registry-mirror',
      'package-mirror.npm',
      'package-mirror.pypi',
      'package-mirror.go',
      'package-mirror.maven',
      'stand-in.node',
      'stand-in.python',
      'stand-in.golang',
      'stand-in.java',
      'stand-in.nginx',
      'backing-service.postgres',
      'backing-service.mysql',
      'backing-service.redis',
      'backing-service.rabbitmq',
      'backing-service.mongodb',
      'vulnerability-data',
    ])
      expect(ids).toContain(id);
    expect(report.checks.find((check) => check.id === 'backing-service.mongodb')).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('no Docker Engine answered (down)'),
    });
    expect(report.ok).toBe(true);
  });
});
