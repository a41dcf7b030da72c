import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execIn } from '../../agents/test/container-exec.ts';
import { VersionConflictError } from '../errors.ts';
import type { DeploySpec } from '../target.ts';
import {
  ensureNetwork,
  ensureVersionContainer,
  listInstances,
  removeContainer,
  removeNetwork,
} from './containers.ts';
import { FILES_LABEL } from './files-archive.ts';

// A version's files (DeploySpec.files: the compose secrets its code reads) on the real Docker
// Engine, with the sample app's image built on this host: in place, read-only, before the app
// starts; the same files again are a no-op, other files a new container, another env a conflict.

interface EngineSupport {
  dockerUnavailableReason(): string | undefined;
  acquireDockerEngine(): Promise<{ docker: Docker; release(): Promise<void> }>;
}
interface SampleApp {
  ensureSampleAppImages(docker: Docker): Promise<string>;
}
// The shared-daemon helper and the sample app live in test/, outside the engine's tsconfig
// project: computed specifiers keep tsc out of them while vitest loads them as usual.
const supportModule = new URL('../../../test/support/infra/docker-engine.ts', import.meta.url);
const support = (await import(supportModule.href)) as EngineSupport;
const sampleModule = new URL('../../../test/fixtures/sample-app/image.ts', import.meta.url);

const skipReason = support.dockerUnavailableReason();
if (skipReason && process.env.CI)
  throw new Error(`CI must run the version container file tests, but: ${skipReason}`);
if (skipReason) console.warn(`skipping version container file tests: ${skipReason}`);

const scope = { project: `files-${randomBytes(3).toString('hex')}`, environment: 'staging' };
const network = `ps-${scope.project}-staging`;
const PORT = 8080;
const SECRET = '/run/secrets/db-password';
let docker: Docker;
let release: () => Promise<void>;
let node: string;

beforeAll(async () => {
  if (skipReason) return;
  ({ docker, release } = await support.acquireDockerEngine());
  const sample = (await import(sampleModule.href)) as SampleApp;
  await sample.ensureSampleAppImages(docker);
  // The image has no shell: what is in the container is read with its own Node.
  node = (await docker.getImage('local/sample-app:v1').inspect()).Config.Entrypoint![0]!;
  await ensureNetwork(docker, scope, network);
}, 300_000);
afterAll(async () => {
  if (skipReason) return;
  for (const instance of await listInstances(docker, scope))
    await removeContainer(docker, instance.id);
  await removeNetwork(docker, scope, network).catch(() => undefined);
  await release();
});

const spec = (files: Record<string, string> | undefined, env = {}): DeploySpec => ({
  version: 'v1',
  image: 'local/sample-app:v1',
  env: { APP_VERSION: 'v1', PORT: String(PORT), ...env },
  ...(files ? { files } : {}),
});
const place = (deploy: DeploySpec) =>
  ensureVersionContainer(docker, { scope, spec: deploy, replica: 0, port: PORT, network });

/** Mode, owner and content of `path` in the container, and its parent's mode, as the app sees them. */
async function stat(id: string, path: string) {
  const script = `const fs = require('fs'); const s = fs.statSync(process.argv[1]); const d = fs.statSync(require('path').dirname(process.argv[1]));
console.log(JSON.stringify({ mode: (s.mode & 0o777).toString(8), uid: s.uid, dir: (d.mode & 0o777).toString(8), content: fs.readFileSync(process.argv[1], 'utf8') }));`;
  const result = await execIn(docker, docker.getContainer(id), [node, '-e', script, path]);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as { mode: string; uid: number; dir: string; content: string };
}

describe.skipIf(skipReason !== undefined)('ensureVersionContainer with files', () => {
  it('puts the files in before the app starts, read-only; the same files again change nothing; other files replace the container', async () => {
    const first = await place(spec({ [SECRET]: 'pw-one', '/etc/app/config.json': '{"a":1}\n' }));
    expect(first.changed).toBe(true);
    // The app (uid 1000) reads them; root owns them; the engine made /run/secrets 0755.
    expect(await stat(first.id, SECRET)).toEqual({
      mode: '444',
      uid: 0,
      dir: '755',
      content: 'pw-one',
    });
    expect((await stat(first.id, '/etc/app/config.json')).content).toBe('{"a":1}\n');
    const labels = (await docker.getContainer(first.id).inspect()).Config.Labels;
    // A digest, not the content, is what the container carries.
    expect(labels[FILES_LABEL]).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(labels)).not.toContain('pw-one');

    const again = await place(spec({ '/etc/app/config.json': '{"a":1}\n', [SECRET]: 'pw-one' }));
    expect(again).toEqual({ ...first, changed: false });

    const rotated = await place(spec({ [SECRET]: 'pw-two', '/etc/app/config.json': '{"a":1}\n' }));
    expect(rotated.changed).toBe(true);
    expect(rotated.id).not.toBe(first.id);
    expect((await stat(rotated.id, SECRET)).content).toBe('pw-two');
    expect(
      await docker
        .getContainer(first.id)
        .inspect()
        .catch(() => 'gone'),
    ).toBe('gone');
    expect((await listInstances(docker, scope)).map((i) => i.id)).toEqual([rotated.id]);
  });

  it('still refuses another env for the same version, whatever the files', async () => {
    await expect(place(spec({ [SECRET]: 'pw-three' }, { LATENCY_MS: '5' }))).rejects.toBeInstanceOf(
      VersionConflictError,
    );
  });
});
