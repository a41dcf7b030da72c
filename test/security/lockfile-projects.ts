/**
 * Fixture projects with real-shaped lockfiles, one per format the SBOM generator reads, for
 * tests that run tools over a directory (Trivy recall, SBOM validation).
 */
import type { FixtureTree } from '../fixtures/repos/build-repo.ts';
import * as go from '../../engine/agents/security/sbom/testing/go-rust-java-lockfiles.ts';
import * as npm from '../../engine/agents/security/sbom/testing/npm-lockfiles.ts';
import * as py from '../../engine/agents/security/sbom/testing/python-lockfiles.ts';

const webAppManifest = JSON.stringify({
  name: 'web-app',
  version: '1.0.0',
  dependencies: { express: '^4.18.2', '@babel/code-frame': '^7.22.0' },
  devDependencies: { typescript: '^5.4.0' },
});

export const LOCKFILE_PROJECTS: Record<string, FixtureTree> = {
  'npm-package-lock-v3': {
    'package.json': webAppManifest,
    'package-lock.json': npm.PACKAGE_LOCK_V3,
  },
  'pnpm-lock-v9': { 'package.json': '{"name":"pnpm9-app"}', 'pnpm-lock.yaml': npm.PNPM_LOCK_V9 },
  'pnpm-lock-v6': { 'package.json': '{"name":"pnpm6-app"}', 'pnpm-lock.yaml': npm.PNPM_LOCK_V6 },
  'yarn-v1': { 'package.json': npm.YARN_V1_PACKAGE_JSON, 'yarn.lock': npm.YARN_V1_LOCK },
  'yarn-berry': { 'package.json': npm.YARN_BERRY_PACKAGE_JSON, 'yarn.lock': npm.YARN_BERRY_LOCK },
  poetry: { 'pyproject.toml': py.POETRY_PYPROJECT, 'poetry.lock': py.POETRY_LOCK },
  uv: { 'pyproject.toml': py.UV_PYPROJECT, 'uv.lock': py.UV_LOCK },
  'pip-requirements': { 'requirements.txt': py.REQUIREMENTS_TXT },
  'go-modules': { 'go.mod': go.GO_MOD, 'go.sum': go.GO_SUM },
  cargo: { 'Cargo.toml': go.CARGO_TOML, 'Cargo.lock': go.CARGO_LOCK },
  maven: { 'pom.xml': go.POM_XML },
  polyglot: {
    'web/package.json': webAppManifest,
    'web/package-lock.json': npm.PACKAGE_LOCK_V3,
    'worker/requirements.txt': py.REQUIREMENTS_TXT,
    'svc/go.mod': go.GO_MOD,
    'svc/go.sum': go.GO_SUM,
  },
};
