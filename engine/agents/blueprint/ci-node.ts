/**
 * Node services' CI (issue 15): the Node major from `.nvmrc` & co., the package manager from the
 * lockfile (npm, pnpm, yarn classic or berry, bun: bun runs in its own image), installed where the
 * lockfile is (a workspace's root), and only the scripts package.json has. Coverage comes from the
 * test runner the script calls when it is a dependency (jest, vitest with a coverage provider,
 * bun's own); otherwise c8, pinned and fetched from the mirror, wraps the script, because the
 * coverage gate needs a report and c8 measures any Node process tree without configuration.
 */
import type { CiContext, CiToolchain } from './ci-toolchain.ts';
import { pnpmInstallOf, pnpmSpecOf } from '../repo-auditor/pnpm-version.ts';
import { pickImage } from './ci-images.ts';
import { dirOfPath, joinPath } from './repo-files.ts';
import { nodeVersion } from './toolchain-versions.ts';

const C8 = 'c8@10.1.3';
/** The test script `npm init` writes: it fails on purpose. */
const PLACEHOLDER_TEST = /no test specified/;
const BROWSER_RUNNERS: Array<[RegExp, string]> = [
  [/\bkarma\b|\bng test\b/, 'Karma'],
  [/\bcypress\b/, 'Cypress'],
  [/\bplaywright\b/, 'Playwright'],
  [/\bwdio\b|\bwebdriverio\b/, 'WebdriverIO'],
];
const INTEGRATION_SCRIPTS = ['test:integration', 'test:int', 'integration', 'test:it'];

type PackageJson = {
  scripts?: Record<string, unknown>;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
  packageManager?: unknown;
};

function asPackage(value: unknown): PackageJson | null {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as PackageJson)
    : null;
}

/** The last step of a script: `tsc && jest --ci` → `jest --ci`. */
function lastStep(script: string): string {
  const steps = script.split(/&&|\|\||;/);
  return (steps[steps.length - 1] ?? '').trim();
}

/** The program the last step of a script runs: `cross-env X=1 jest --ci` → `jest`. */
export function lastProgram(script: string): string | null {
  const words = lastStep(script).split(/\s+/);
  let i = 0;
  while (i < words.length) {
    const word = words[i]!;
    if (/^[A-Za-z_]\w*=/.test(word) || ['cross-env', 'npx', 'env', 'exec'].includes(word)) i++;
    else if (word === 'dotenv') {
      const end = words.indexOf('--', i);
      i = end < 0 ? words.length : end + 1;
    } else return word.replace(/^\.\/node_modules\/\.bin\//, '');
  }
  return null;
}

interface Runner {
  install: string;
  run: (script: string, args?: string) => string;
}

async function runnerOf(ctx: CiContext, pm: string, locked: boolean, root: PackageJson | null) {
  const declared = typeof root?.packageManager === 'string' ? root.packageManager : '';
  const installDir = ctx.service.lockfile ? dirOfPath(ctx.service.lockfile.value) : ctx.dir;
  const berry =
    /^yarn@(?:[2-9]|\d{2})/.test(declared) ||
    (await ctx.files.text(joinPath(installDir, '.yarnrc.yml'))) !== null;
  const withArgs = (base: string, args?: string) => (args ? `${base} ${args}` : base);
  const pnpm =
    pm === 'pnpm'
      ? pnpmSpecOf(
          root?.packageManager,
          await ctx.files.text(joinPath(installDir, 'pnpm-lock.yaml')),
        )
      : null;
  const runners: Record<string, Runner> = {
    npm: {
      install: locked ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund',
      run: (s, args) => withArgs(s === 'test' ? 'npm test' : `npm run ${s}`, args && `-- ${args}`),
    },
    pnpm: {
      install: `${pnpmInstallOf(pnpm ?? 'pnpm@9')} && pnpm install${locked ? ' --frozen-lockfile' : ''}`,
      run: (s, args) => withArgs(`pnpm run ${s}`, args),
    },
    yarn: {
      install: `corepack enable && yarn install${locked ? (berry ? ' --immutable' : ' --frozen-lockfile') : ''}`,
      run: (s, args) => withArgs(`yarn run ${s}`, args),
    },
    bun: {
      install: `bun install${locked ? ' --frozen-lockfile' : ''}`,
      run: (s, args) => withArgs(`bun run ${s}`, args),
    },
  };
  return { runner: runners[pm] ?? runners.npm!, installDir, pnpm };
}

export async function nodeCi(ctx: CiContext): Promise<CiToolchain> {
  const notes: string[] = [];
  const pkg = asPackage(await ctx.files.json(joinPath(ctx.dir, 'package.json')));
  const pm = ctx.service.packageManager?.value ?? 'npm';
  const locked = ctx.service.lockfile !== null;
  const installRoot = ctx.service.lockfile ? dirOfPath(ctx.service.lockfile.value) : ctx.dir;
  const root =
    installRoot === ctx.dir
      ? pkg
      : asPackage(await ctx.files.json(joinPath(installRoot, 'package.json')));
  const { runner, installDir, pnpm } = await runnerOf(ctx, pm, locked, root);
  const deps = new Set(
    [pkg, root].flatMap((p) => [
      ...Object.keys(p?.dependencies ?? {}),
      ...Object.keys(p?.devDependencies ?? {}),
    ]),
  );
  const scripts = Object.fromEntries(
    Object.entries(pkg?.scripts ?? {}).filter(
      (e): e is [string, string] => typeof e[1] === 'string',
    ),
  );

  const version = await nodeVersion(ctx.files, ctx.dir, pkg as Record<string, unknown> | null);
  const picked = version ? pickImage(ctx.images, 'node', version.version) : null;
  if (version) notes.push(`Node ${version.version} from ${version.source}`);
  if (picked?.note) notes.push(`Node ${picked.note}`);
  if (pm === 'bun') notes.push('bun (lockfile): install, scripts and tests run in the bun image');
  const image = pm === 'bun' ? 'bun-1' : (picked?.key ?? 'node-build');

  let unit: string | null = null;
  let coverage: CiToolchain['coverage'] = null;
  const test = scripts.test;
  const browser = test ? BROWSER_RUNNERS.find(([p]) => p.test(test.slice(0, 2000)))?.[1] : null;
  if (test && PLACEHOLDER_TEST.test(test)) {
    notes.push('the "test" script is npm\'s placeholder: no test job');
  } else if (test && browser) {
    notes.push(
      `the "test" script runs in a browser (${browser}), which the CI image lacks: no test job; add a headless browser image to run it`,
    );
  } else if (test) {
    const program = lastProgram(test);
    const cobertura = { format: 'cobertura' as const, path: 'coverage/cobertura-coverage.xml' };
    if (program === 'jest' && deps.has('jest')) {
      unit = runner.run(
        'test',
        '--ci --coverage --coverageReporters=cobertura --coverageReporters=text-summary',
      );
      coverage = cobertura;
    } else if (
      program === 'vitest' &&
      deps.has('vitest') &&
      (deps.has('@vitest/coverage-v8') || deps.has('@vitest/coverage-istanbul'))
    ) {
      unit = runner.run(
        'test',
        '--coverage.enabled --coverage.reporter=cobertura --coverage.reporter=text-summary',
      );
      coverage = cobertura;
    } else if (pm === 'bun' && /^bun\s+test\b/.test(lastStep(test))) {
      unit = runner.run('test', '--coverage --coverage-reporter=lcov');
      coverage = { format: 'lcov', path: 'coverage/lcov.info' };
    } else if (pm === 'bun') {
      unit = runner.run('test');
      notes.push('bun runs the "test" script: no coverage report for the gate');
    } else {
      unit = `npx --yes ${C8} --reporter=cobertura --reporter=text-summary ${runner.run('test')}`;
      coverage = cobertura;
      notes.push(
        `coverage of the "test" script measured by ${C8} from the package mirror (its runner has no coverage reporter among the dependencies)`,
      );
    }
  } else if (pm === 'bun' && ctx.service.tests) {
    unit = 'bun test --coverage --coverage-reporter=lcov';
    coverage = { format: 'lcov', path: 'coverage/lcov.info' };
  } else {
    notes.push('package.json has no "test" script: no test job');
  }
  const integration = INTEGRATION_SCRIPTS.find((name) => scripts[name] !== undefined);
  return {
    image,
    buildImage: pm === 'bun' ? null : (picked?.key ?? null),
    runtimeImage: pm === 'bun' ? null : (picked?.key ?? null),
    installDir,
    packageTool: pnpm,
    install: runner.install,
    build: scripts.build !== undefined ? runner.run('build') : null,
    unit,
    coverage,
    integration: integration ? runner.run(integration) : null,
    notes,
    env: {},
  };
}
