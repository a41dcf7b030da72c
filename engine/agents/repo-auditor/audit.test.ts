import { describe, expect, it } from 'vitest';
import { StoredFingerprint } from '../../store/repositories/projects.ts';
import { auditTree } from './audit.ts';
import { FINGERPRINT_VERSION, Fingerprint } from './fingerprint.ts';
import { MemoryTreeReader } from './tree-reader.ts';

const expressApp = {
  'package.json':
    '{\n  "name": "api",\n  "scripts": { "start": "node index.js" },\n  "dependencies": { "express": "4" }\n}\n',
  'index.js':
    "const app = require('express')();\napp.get('/health', (q, r) => r.end());\napp.listen(3000);\n",
};

describe('auditTree', () => {
  it('produces a valid, versioned fingerprint the store accepts', async () => {
    const fingerprint = await auditTree(new MemoryTreeReader(expressApp));
    expect(Fingerprint.safeParse(fingerprint).success).toBe(true);
    expect(fingerprint.version).toBe(FINGERPRINT_VERSION);
    expect(StoredFingerprint.safeParse(fingerprint).success).toBe(true);
  });

  it('is deterministic: the same tree gives the same fingerprint', async () => {
    const first = await auditTree(new MemoryTreeReader(expressApp));
    const second = await auditTree(
      new MemoryTreeReader(Object.fromEntries(Object.entries(expressApp).reverse())),
    );
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('does not make services of libraries or workspace roots', async () => {
    const fingerprint = await auditTree(
      new MemoryTreeReader({
        'package.json': '{ "name": "root", "workspaces": ["libs/*"] }',
        'libs/util/package.json': '{ "name": "util", "main": "index.js" }',
        'libs/util/index.js': 'module.exports = 1;\n',
      }),
    );
    expect(fingerprint.services).toEqual([]);
    expect(fingerprint.monorepoTool).toEqual({
      value: 'npm-workspaces',
      evidence: [{ file: 'package.json', line: 1 }],
    });
  });

  it('does not make a service of a root that shares Next.js with its examples but has no app of its own', async () => {
    const nextApp = (name: string) => ({
      name,
      scripts: { build: 'next build', start: 'next start' },
      dependencies: { next: '^14.0.0' },
    });
    const fingerprint = await auditTree(
      new MemoryTreeReader({
        // vercel/next-learn's shape: `next start` at the root, the apps in folders below.
        'package.json': JSON.stringify({
          scripts: { start: 'next start' },
          dependencies: { next: '^14.0.0' },
        }),
        'README.md': '# courses\n',
        'dashboard/final-example/package.json': JSON.stringify(nextApp('dashboard')),
        'dashboard/final-example/app/page.tsx': 'export default function Page() { return null; }\n',
        'seo/package.json': JSON.stringify(nextApp('seo')),
        'seo/src/pages/index.js': 'export default function Home() { return null; }\n',
      }),
    );
    expect(fingerprint.services.map((service) => service.path)).toEqual([
      'dashboard/final-example',
      'seo',
    ]);
  });

  it('names pnpm workspaces and Maven multi-module builds as the monorepo tool', async () => {
    const pnpm = await auditTree(
      new MemoryTreeReader({
        'package.json': '{}',
        'pnpm-workspace.yaml': 'packages: ["apps/*"]\n',
      }),
    );
    expect(pnpm.monorepoTool).toEqual({
      value: 'pnpm-workspaces',
      evidence: [{ file: 'pnpm-workspace.yaml', line: 1 }],
    });
    const maven = await auditTree(
      new MemoryTreeReader({
        'pom.xml':
          '<project>\n<packaging>pom</packaging>\n<modules>\n<module>api</module>\n</modules>\n</project>\n',
      }),
    );
    expect(maven.monorepoTool).toEqual({
      value: 'maven-modules',
      evidence: [{ file: 'pom.xml', line: 3 }],
    });
    expect(maven.services).toEqual([]);
  });

  it('ignores dependency folders and fixture data', async () => {
    const fingerprint = await auditTree(
      new MemoryTreeReader({
        'node_modules/express/package.json': '{ "name": "express", "scripts": { "start": "x" } }',
        'test/fixtures/app/package.json':
          '{ "name": "fixture", "dependencies": { "express": "4" } }',
      }),
    );
    expect(fingerprint.services).toEqual([]);
    expect(fingerprint.stats.files).toBe(1);
  });

  it("given a test runner config with a port, when audited, then the port is not the app's", async () => {
    const fingerprint = await auditTree(
      new MemoryTreeReader({
        'package.json': '{ "name": "spa", "scripts": { "start": "ng serve" } }\n',
        'karma.conf.js': 'module.exports = (config) => config.set({ port: 9876 });\n',
        'compose.yaml': 'services:\n  web:\n    build: .\n    ports:\n      - 4200:4200\n',
        Dockerfile: 'FROM node:20\nCMD ["ng", "serve"]\n',
      }),
    );
    expect(fingerprint.services[0]?.port).toEqual({
      value: 4200,
      evidence: [{ file: 'compose.yaml', line: 2 }],
    });
  });

  it('survives hostile content in every parser at once', async () => {
    const fingerprint = await auditTree(
      new MemoryTreeReader({
        'package.json': '\u0000\u0001binary',
        'pyproject.toml': '= = =',
        'go.mod': 'garbage',
        'pom.xml': '<not-a-project/>',
        'build.gradle': '}}}',
        Dockerfile: 'FROM\nEXPOSE notaport\nCMD [',
        'compose.yaml': 'services: [',
        'k8s.yaml': 'apiVersion: v1\nkind: [',
        'src/main.py': new Uint8Array([0xc3, 0x28, 0x0a]),
      }),
    );
    expect(fingerprint.services).toEqual([]);
    expect(fingerprint.gaps.map((gap) => gap.id).sort()).toEqual([
      'malformed-manifest',
      'malformed-manifest',
      'malformed-manifest',
      'malformed-manifest',
      'malformed-manifest',
      'malformed-manifest',
      'unreadable-file',
    ]);
  });

  it('gives every gap a remediation and every claim evidence', async () => {
    const fingerprint = await auditTree(
      new MemoryTreeReader({
        'requirements.txt': 'flask\nsqlalchemy\n',
        'app.py': 'app = Flask(__name__)\n',
      }),
    );
    expect(fingerprint.gaps.map((gap) => gap.id)).toEqual([
      'no-ci',
      'no-dockerfile',
      'no-health-endpoint',
      'no-lockfile',
      'no-tests',
      'orm-without-migrations',
    ]);
    for (const gap of fingerprint.gaps) expect(gap.remediation.length).toBeGreaterThan(20);
    const service = fingerprint.services[0];
    expect(service?.startCommand).toEqual({
      value: 'flask --app app:app run',
      evidence: [{ file: 'app.py', line: 1 }],
    });
  });
});
