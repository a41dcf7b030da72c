import { describe, expect, it } from 'vitest';
import { parseGoMod, parseGoWork } from './go-mod.ts';
import { parseGradle, parseGradleSettings, parsePom } from './jvm-build.ts';
import { parsePackageJson } from './package-json.ts';
import { parsePipfile, parsePyproject, parseRequirements } from './python-manifest.ts';

describe('package.json', () => {
  it('finds dependencies, scripts, workspaces and packageManager with lines', () => {
    const text =
      '{\n  "name": "a",\n  "packageManager": "yarn@4.1.0",\n  "workspaces": { "packages": ["apps/*"] },\n  "scripts": { "start": "node ." },\n  "devDependencies": {\n    "vitest": "1"\n  }\n}\n';
    const result = parsePackageJson('p/package.json', 'p', text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.manifest.deps.get('vitest')).toEqual({ file: 'p/package.json', line: 7 });
    expect(result.manifest.scripts.get('start')).toEqual({
      command: 'node .',
      evidence: { file: 'p/package.json', line: 5 },
    });
    expect(result.manifest.workspaces?.value).toEqual(['apps/*']);
    expect(result.manifest.declaredPackageManager?.value).toBe('yarn');
  });

  it.each(['{ "name": ', '[1,2]', 'null', '\u0000\u0001'])(
    'reports malformed %j without throwing',
    (text) => {
      expect(parsePackageJson('package.json', '.', text).ok).toBe(false);
    },
  );
});

describe('Python manifests', () => {
  it('reads PEP 621, Poetry and uv pyproject files with normalised names', () => {
    const pep621 = parsePyproject(
      'pyproject.toml',
      '.',
      '[project]\nname = "x"\ndependencies = [\n  "Flask_SQLAlchemy>=3",\n  "fastapi[all]==0.1",\n]\n[tool.uv]\n',
    );
    expect(pep621.ok && [...pep621.manifest.deps.keys()]).toEqual(['flask-sqlalchemy', 'fastapi']);
    expect(pep621.ok && pep621.manifest.deps.get('fastapi')?.line).toBe(5);
    expect(pep621.ok && pep621.manifest.declaredPackageManager?.value).toBe('uv');
    const poetry = parsePyproject(
      'pyproject.toml',
      '.',
      '[tool.poetry]\nname = "y"\n[tool.poetry.dependencies]\npython = "^3.12"\ndjango = "*"\n',
    );
    expect(poetry.ok && [...poetry.manifest.deps.keys()]).toEqual(['django']);
    expect(poetry.ok && poetry.manifest.declaredPackageManager?.value).toBe('poetry');
  });

  it('reports malformed TOML with its line', () => {
    expect(parsePyproject('pyproject.toml', '.', 'a = 1\n[broken\n')).toMatchObject({
      ok: false,
      line: 2,
    });
    expect(parsePipfile('Pipfile', '.', '[packages\n').ok).toBe(false);
  });

  it('tells pinned requirements (a lockfile) from loose ones', () => {
    expect(
      parseRequirements(
        'requirements.txt',
        '.',
        '# c\nDjango==5.0 # lts\n-r base.txt\npsycopg==3.1\n',
      ).pinned,
    ).toBe(true);
    const loose = parseRequirements('requirements.txt', '.', 'celery>=5\nredis\n');
    expect(loose.pinned).toBe(false);
    expect([...loose.manifest.deps.entries()]).toEqual([
      ['celery', { file: 'requirements.txt', line: 1 }],
      ['redis', { file: 'requirements.txt', line: 2 }],
    ]);
  });
});

describe('go.mod and go.work', () => {
  it('reads module and requirements in both forms', () => {
    const result = parseGoMod(
      'go.mod',
      '.',
      'module example.com/x // main\n\ngo 1.22\n\nrequire github.com/a/b v1.0.0\nrequire (\n\tgithub.com/c/d/v2 v2.0.0 // indirect\n)\n',
    );
    expect(result.ok && result.manifest.name).toBe('example.com/x');
    expect(result.ok && [...result.manifest.deps.entries()]).toEqual([
      ['github.com/a/b', { file: 'go.mod', line: 5 }],
      ['github.com/c/d/v2', { file: 'go.mod', line: 7 }],
    ]);
    expect(parseGoWork('go.work', 'go 1.22\nuse ./a\nuse (\n  ./b\n)\n')).toEqual({
      ok: true,
      uses: [
        { dir: './a', line: 2 },
        { dir: './b', line: 4 },
      ],
    });
  });

  it.each(['go 1.22\n', 'modul x\n', 'module x\nrequire (\n a v1\n'])(
    'reports malformed %j',
    (text) => {
      expect(parseGoMod('go.mod', '.', text).ok).toBe(false);
    },
  );
});

describe('Maven and Gradle', () => {
  it('reads artifact ids, the own artifactId, packaging and modules', () => {
    const pom = parsePom(
      'pom.xml',
      '.',
      '<project>\n<parent><artifactId>spring-boot-starter-parent</artifactId></parent>\n<artifactId>root</artifactId>\n<packaging>pom</packaging>\n<!-- <artifactId>ghost</artifactId> -->\n<modules>\n<module>api</module>\n</modules>\n</project>\n',
    );
    expect(pom.ok && pom.manifest.name).toBe('root');
    expect(pom.ok && pom.manifest.aggregator).toBe(true);
    expect(pom.ok && pom.manifest.workspaces?.value).toEqual(['api']);
    expect(pom.ok && pom.manifest.deps.has('ghost')).toBe(false);
  });

  it('reads Gradle plugins and coordinates, refuses unbalanced scripts', () => {
    const gradle = parseGradle(
      'build.gradle',
      '.',
      "plugins {\n  id 'org.springframework.boot' version '3'\n}\ndependencies {\n  implementation 'org.flywaydb:flyway-core:10.0'\n}\n",
    );
    expect(gradle.ok && [...gradle.manifest.deps.entries()]).toEqual([
      ['flyway-core', { file: 'build.gradle', line: 5 }],
      ['org.springframework.boot', { file: 'build.gradle', line: 2 }],
    ]);
    expect(parseGradle('build.gradle', '.', 'plugins {\n').ok).toBe(false);
    expect(parseGradleSettings('rootProject.name = "q"\ninclude(":api", ":web:ui")\n')).toEqual({
      name: 'q',
      includes: ['api', 'web/ui'],
    });
  });
});
