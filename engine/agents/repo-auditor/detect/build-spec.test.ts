import { describe, expect, it } from 'vitest';
import { auditTree } from '../audit.ts';
import type { Service } from '../fingerprint.ts';
import { MemoryTreeReader } from '../tree-reader.ts';
import { buildOwner, composeFileRank, isNotProductionDockerfile } from './build-spec.ts';
import { wildcard } from './build-context.ts';

const API = {
  'api/package.json': '{ "name": "api", "scripts": { "start": "node index.js" } }\n',
  'api/index.js': "require('http').createServer().listen(3000);\n",
};

async function serviceOf(files: Record<string, string>, path = 'api'): Promise<Service> {
  const fingerprint = await auditTree(new MemoryTreeReader(files));
  const service = fingerprint.services.find((item) => item.path === path);
  if (!service) throw new Error(`no service at ${path}`);
  return service;
}

describe('Service.build', () => {
  it('given a prod compose file, a base file and a dev file, when chosen, then the production one wins', async () => {
    const build = (file: string) =>
      `services:\n  api:\n    build:\n      context: api\n      dockerfile: ${file}\n`;
    const service = await serviceOf({
      ...API,
      'api/Dockerfile': 'FROM node:20\nCMD ["node", "index.js"]\n',
      'api/Dockerfile.dev': 'FROM node:20\nCMD ["npm", "run", "dev"]\n',
      'api/Dockerfile.prod': 'FROM node:20-slim\nCMD ["node", "index.js"]\n',
      'docker-compose.dev.yml': build('Dockerfile.dev'),
      'docker-compose.yml': build('Dockerfile'),
      'docker-compose.prod.yml': build('Dockerfile.prod'),
    });
    expect(service.build).toEqual({
      value: {
        context: 'api',
        dockerfile: 'api/Dockerfile.prod',
        target: null,
        args: {},
        source: 'compose',
      },
      evidence: [{ file: 'docker-compose.prod.yml', line: 3 }],
    });
    expect(service.dockerfile?.value.baseImage).toBe('node:20-slim');
  });

  it('given compose builds only a dev Dockerfile, when the folder has a production one, then the folder one is built', async () => {
    const service = await serviceOf({
      ...API,
      'api/Dockerfile': 'FROM node:20-slim\nCMD ["node", "index.js"]\n',
      'api/dev.Dockerfile': 'FROM node:20\n',
      'compose.yaml':
        'services:\n  api:\n    build:\n      context: api\n      dockerfile: dev.Dockerfile\n',
    });
    expect(service.build?.value).toMatchObject({
      dockerfile: 'api/Dockerfile',
      source: 'dockerfile',
    });
  });

  it('given a CI docker build, when the folder Dockerfile copies nothing outside it, then the CI context is used', async () => {
    const service = await serviceOf({
      ...API,
      'api/Dockerfile': 'FROM node:20 AS app\nCOPY . .\n',
      '.github/workflows/image.yml':
        'on: push\njobs:\n  i:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build -f api/Dockerfile --target app .\n',
    });
    expect(service.build).toEqual({
      value: { context: '.', dockerfile: 'api/Dockerfile', target: 'app', args: {}, source: 'ci' },
      evidence: [{ file: '.github/workflows/image.yml', line: 6 }],
    });
  });

  it('given a Dockerfile whose COPY sources exist only under an ancestor, when no glob matches the folder, then that ancestor is the context', async () => {
    const service = await serviceOf({
      ...API,
      'package-lock.json': '{}\n',
      'api/Dockerfile':
        'FROM node:20\nCOPY package*.json ./\nCOPY package-lock.json ./\nCOPY api ./api\n',
    });
    expect(service.build?.value.context).toBe('.');
    expect(service.build?.evidence).toEqual([
      { file: 'api/Dockerfile', line: 1 },
      { file: 'api/Dockerfile', line: 3 },
    ]);
  });

  it('given a workspace command in RUN, when COPY . . would fit the folder, then the workspace root is the context', async () => {
    const service = await serviceOf({
      ...API,
      'pnpm-workspace.yaml': 'packages: ["api"]\n',
      'api/Dockerfile': 'FROM node:20\nCOPY . .\nRUN pnpm --filter api build\n',
    });
    expect(service.build?.value.context).toBe('.');
    expect(service.build?.evidence).toContainEqual({ file: 'api/Dockerfile', line: 3 });
  });

  it('given two compose services built from the root context, when one builds the folder Dockerfile, then that one is the service build', async () => {
    const service = await serviceOf(
      {
        'package.json': '{ "name": "site", "scripts": { "start": "node index.js" } }\n',
        Dockerfile: 'FROM node:20\n',
        'docker/nginx/Dockerfile': 'FROM nginx:1.25\n',
        'compose.yaml':
          'services:\n  proxy:\n    build:\n      context: .\n      dockerfile: docker/nginx/Dockerfile\n  site:\n    build: .\n',
      },
      '.',
    );
    expect(service.build?.value).toMatchObject({ dockerfile: 'Dockerfile', source: 'compose' });
    expect(service.build?.evidence).toEqual([{ file: 'compose.yaml', line: 7 }]);
  });

  it("given a dev target followed by an nginx stage, when switched, then the built image serves on nginx's port", async () => {
    const service = await serviceOf(
      {
        'package.json': '{ "name": "spa", "scripts": { "start": "react-scripts start" } }\n',
        Dockerfile:
          'FROM node:20 AS development\nENV PORT=3000\nCMD ["npm", "start"]\nFROM development AS builder\nRUN npm run build\nFROM nginx:1.27-alpine\nCOPY --from=builder /code/build /usr/share/nginx/html\n',
        'compose.yaml':
          'services:\n  spa:\n    build:\n      context: .\n      target: development\n    ports:\n      - 3000:3000\n',
      },
      '.',
    );
    expect(service.build?.value.target).toBeNull();
    expect(service.build?.evidence).toContainEqual({ file: 'Dockerfile', line: 6 });
    expect(service.dockerfile?.value.baseImage).toBe('nginx:1.27-alpine');
    expect(service.port).toEqual({ value: 80, evidence: [{ file: 'Dockerfile', line: 6 }] });
  });

  it('given a compose target that does not exist in the Dockerfile, when chosen, then that build is not used', async () => {
    const service = await serviceOf({
      ...API,
      'api/Dockerfile': 'FROM node:20\n',
      'compose.yaml': 'services:\n  api:\n    build:\n      context: api\n      target: nope\n',
    });
    expect(service.build?.value).toMatchObject({ source: 'dockerfile', target: null });
  });
});

describe('build helpers', () => {
  it('given a build, when owned, then the deepest project inside the context holding the Dockerfile owns it', () => {
    const dirs = ['.', 'app', 'compose/nginx-less'];
    expect(buildOwner({ context: '.', dockerfile: 'app/Dockerfile' }, dirs)).toBe('app');
    expect(buildOwner({ context: '.', dockerfile: 'docker/Dockerfile' }, dirs)).toBe('.');
    expect(buildOwner({ context: 'proxy', dockerfile: 'proxy/Dockerfile' }, dirs)).toBeUndefined();
    expect(buildOwner({ context: 'app', dockerfile: 'docker/app.Dockerfile' }, dirs)).toBe('app');
  });

  it('ranks compose files and recognises non-production Dockerfiles', () => {
    expect(composeFileRank('docker-compose.prod.yml')).toBe(0);
    expect(composeFileRank('compose.yaml')).toBe(1);
    expect(composeFileRank('docker-compose.override.yml')).toBe(2);
    for (const path of [
      'Dockerfile.dev',
      'dev.Dockerfile',
      'api/app.test.Dockerfile',
      '.devcontainer/Dockerfile',
      'e2e/Dockerfile',
      'src/Dockerfile.debug',
    ])
      expect(isNotProductionDockerfile(path, undefined), path).toBe(true);
    expect(isNotProductionDockerfile('Dockerfile.prod', undefined)).toBe(false);
  });

  it('matches COPY wildcards per segment without backtracking blow-ups', () => {
    expect(wildcard('package*.json', 'package-lock.json')).toBe(true);
    expect(wildcard('*.txt', 'requirements.txt')).toBe(true);
    expect(wildcard('a?c', 'abc')).toBe(true);
    expect(wildcard('*.py', 'main.pyc')).toBe(false);
    expect(wildcard(`${'*a'.repeat(30)}b`, 'a'.repeat(5000))).toBe(false);
  });
});
