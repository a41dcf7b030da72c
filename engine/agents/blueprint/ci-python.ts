/**
 * Python services' CI (issue 15): the Python minor from `.python-version` & co., the install its
 * package manager implies (pip with every requirements file it has, Poetry, uv, Pipenv, PDM), and
 * the test runner the repository uses: pytest only when it is a dependency, else its Makefile
 * `test` target, tox, nox, Django's runner or unittest. An integration job only when pytest is a
 * dependency and an `integration` marker is registered. Coverage comes from pytest-cov when it is
 * a dependency; otherwise coverage.py, pinned and fetched from the mirror, wraps the runner.
 */
import {
  parsePipfile,
  parsePyproject,
  parseRequirements,
} from '../repo-auditor/parsers/python-manifest.ts';
import { parse as parseToml } from 'smol-toml';
import { pickImage } from './ci-images.ts';
import { makeTargets, runnableTarget, type CiContext, type CiToolchain } from './ci-toolchain.ts';
import { joinPath } from './repo-files.ts';
import { pythonVersion } from './toolchain-versions.ts';

const COVERAGE = 'coverage==7.6.10';
const REQUIREMENTS = [
  'requirements.txt',
  'requirements-dev.txt',
  'requirements_dev.txt',
  'dev-requirements.txt',
  'requirements-test.txt',
  'requirements_test.txt',
  'test-requirements.txt',
  'requirements/base.txt',
  'requirements/dev.txt',
  'requirements/development.txt',
  'requirements/local.txt',
  'requirements/test.txt',
  'requirements/testing.txt',
];
const EXTRAS = ['test', 'tests', 'testing', 'dev'];

/** Declared dependency names (PEP 503-normalised) and the requirements files that exist. */
async function dependenciesOf(ctx: CiContext) {
  const deps = new Set<string>();
  const requirementFiles: string[] = [];
  for (const name of REQUIREMENTS) {
    const path = joinPath(ctx.dir, name);
    const text = await ctx.files.text(path);
    if (text === null) continue;
    requirementFiles.push(name);
    for (const dep of parseRequirements(path, ctx.dir, text).manifest.deps.keys()) deps.add(dep);
  }
  const pyproject = await ctx.files.text(joinPath(ctx.dir, 'pyproject.toml'));
  const parsed = pyproject === null ? null : parsePyproject('pyproject.toml', ctx.dir, pyproject);
  if (parsed?.ok) for (const dep of parsed.manifest.deps.keys()) deps.add(dep);
  const pipfile = await ctx.files.text(joinPath(ctx.dir, 'Pipfile'));
  const pip = pipfile === null ? null : parsePipfile('Pipfile', ctx.dir, pipfile);
  if (pip?.ok) for (const dep of pip.manifest.deps.keys()) deps.add(dep);
  const declared = optionalDependencies(pyproject);
  const extras = EXTRAS.filter((extra) => declared.includes(extra));
  return { deps, requirementFiles, pyproject, extras };
}

/** Whether an `integration` pytest marker is registered in the repository's pytest settings. */
async function integrationMarker(ctx: CiContext, pyproject: string | null): Promise<boolean> {
  const texts = [
    await ctx.files.text(joinPath(ctx.dir, 'pytest.ini')),
    await ctx.files.text(joinPath(ctx.dir, 'setup.cfg')),
    await ctx.files.text(joinPath(ctx.dir, 'tox.ini')),
    pyproject,
  ];
  return texts.some((text) => text !== null && markersMention(text.slice(0, 65536), 'integration'));
}

/**
 * Whether a `markers =` setting (ini: the line and its indented continuation lines; TOML: the
 * array) names `marker`. Read line by line: repository text meets no backtracking pattern.
 */
function markersMention(text: string, marker: string): boolean {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^[ \t]*markers[ \t]*=/.test(lines[i]!)) continue;
    const block = [lines[i]!];
    for (let j = i + 1; j < lines.length && /^[ \t\]]/.test(lines[j]!); j++) block.push(lines[j]!);
    if (block.some((line) => new RegExp(`\\b${marker}\\b`).test(line))) return true;
  }
  return false;
}

/** Names of `[project.optional-dependencies]` groups. */
function optionalDependencies(pyproject: string | null): string[] {
  if (pyproject === null) return [];
  try {
    const data = parseToml(pyproject) as { project?: { 'optional-dependencies'?: unknown } };
    const groups = data.project?.['optional-dependencies'];
    return groups && typeof groups === 'object' ? Object.keys(groups) : [];
  } catch {
    return [];
  }
}

function installOf(
  pm: string,
  requirementFiles: string[],
  hasPyproject: boolean,
  extras: string[],
): string {
  switch (pm) {
    case 'poetry':
      return 'pip install --no-cache-dir poetry && poetry config virtualenvs.create false && poetry install --no-interaction --no-root';
    case 'uv':
      return 'pip install --no-cache-dir uv && uv export --frozen --no-emit-project -o /tmp/requirements.txt && pip install --no-cache-dir -r /tmp/requirements.txt';
    case 'pipenv':
      return 'pip install --no-cache-dir pipenv && pipenv install --dev --system --deploy';
    case 'pdm':
      return 'pip install --no-cache-dir pdm && pdm export --dev --without-hashes -o /tmp/requirements.txt && pip install --no-cache-dir -r /tmp/requirements.txt';
  }
  if (requirementFiles.length > 0)
    return `pip install --no-cache-dir ${requirementFiles.map((f) => `-r ${f}`).join(' ')}`;
  if (hasPyproject)
    return `pip install --no-cache-dir -e '.${extras.length ? `[${extras.join(',')}]` : ''}'`;
  return 'echo "no requirements file or pyproject.toml: nothing to install"';
}

export async function pythonCi(ctx: CiContext): Promise<CiToolchain> {
  const notes: string[] = [];
  const env: Record<string, string> = {};
  const { deps, requirementFiles, pyproject, extras } = await dependenciesOf(ctx);
  const version = await pythonVersion(ctx.files, ctx.dir);
  const picked = version ? pickImage(ctx.images, 'python', version.version) : null;
  if (version) notes.push(`Python ${version.version} from ${version.source}`);
  if (picked?.note) notes.push(`Python ${picked.note}`);
  const pm = ctx.service.packageManager?.value ?? 'pip';
  const install = installOf(pm, requirementFiles, pyproject !== null, extras);

  const pytest = deps.has('pytest');
  const pytestCov = deps.has('pytest-cov');
  const marker = pytest && (await integrationMarker(ctx, pyproject));
  const targets = await makeTargets(ctx.files, ctx.dir);
  const make = runnableTarget(targets, ['test']);
  const measured = (command: string) =>
    `python -m pip install --no-cache-dir ${COVERAGE} && python -m coverage run ${command} && python -m coverage xml -o coverage.xml`;
  const cobertura = { format: 'cobertura' as const, path: 'coverage.xml' };
  let unit: string | null = null;
  let coverage: CiToolchain['coverage'] = null;
  const notMarked = marker ? ' -m "not integration"' : '';
  if (make && (!pytest || pytestCov)) {
    unit = `make ${make}`;
    if (pytest) {
      env.PYTEST_ADDOPTS = `--cov --cov-report=xml:coverage.xml${notMarked}`;
      coverage = cobertura;
    } else notes.push('`make test` runs the tests: no coverage report for the gate');
  } else if (pytest) {
    unit = pytestCov
      ? `python -m pytest --cov --cov-report=xml:coverage.xml --cov-report=term${notMarked}`
      : measured(`-m pytest${notMarked}`);
    coverage = cobertura;
    if (!pytestCov)
      notes.push(
        `coverage measured by ${COVERAGE} from the package mirror (pytest-cov is not a dependency)`,
      );
  } else if ((await ctx.files.text(joinPath(ctx.dir, 'tox.ini'))) !== null) {
    unit = 'pip install --no-cache-dir tox && tox --skip-missing-interpreters=true';
    notes.push('tox runs the tests: no coverage report for the gate');
  } else if ((await ctx.files.text(joinPath(ctx.dir, 'noxfile.py'))) !== null) {
    unit = 'pip install --no-cache-dir nox && nox --no-error-on-missing-interpreters';
    notes.push('nox runs the tests: no coverage report for the gate');
  } else if (
    ctx.service.framework?.value === 'django' &&
    (await ctx.files.text(joinPath(ctx.dir, 'manage.py'))) !== null
  ) {
    unit = measured('manage.py test');
    coverage = cobertura;
  } else if (ctx.service.tests?.value.framework === 'unittest') {
    unit = measured('-m unittest discover');
    coverage = cobertura;
  } else {
    notes.push(
      ctx.service.tests
        ? 'tests found but pytest is not a dependency and there is no Makefile test target, tox or nox: no test job'
        : 'no tests: no test job',
    );
  }
  return {
    image: picked?.key ?? 'python-build',
    buildImage: picked?.key ?? null,
    runtimeImage: picked?.key ?? null,
    installDir: ctx.dir,
    install,
    build: null,
    unit,
    coverage,
    integration: marker ? 'python -m pytest -m integration' : null,
    notes,
    env,
  };
}
