import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listContext, prepareContext } from './build-context.ts';
import { DockerignoreMatcher, readDockerignore } from './dockerignore.ts';

const excluded = (ignore: string, paths: string[]) => {
  const matcher = new DockerignoreMatcher(readDockerignore(ignore));
  return paths.filter((path) => matcher.excludes(path));
};

describe('DockerignoreMatcher (Docker semantics)', () => {
  it('given *.md, when matching, then * stays within one directory', () => {
    expect(excluded('*.md\n', ['README.md', 'docs/a.md', 'src/x.ts'])).toEqual(['README.md']);
  });

  it('given **/*.md, when matching, then it matches at any depth', () => {
    expect(excluded('**/*.md\n', ['README.md', 'docs/a.md', 'src/x.ts'])).toEqual([
      'README.md',
      'docs/a.md',
    ]);
  });

  it('given a directory name, when matching, then everything below it is excluded', () => {
    expect(excluded('node_modules\n', ['node_modules/a/index.js', 'src/node_modules.ts'])).toEqual([
      'node_modules/a/index.js',
    ]);
  });

  it('given a leading /, comments and blank lines, when reading, then the path is relative to the root', () => {
    expect(readDockerignore('# comment\n\n/build/\n !./dist/keep \n')).toEqual([
      'build',
      '!dist/keep',
    ]);
    expect(excluded('/build\n', ['build/out.js', 'src/build/out.js'])).toEqual(['build/out.js']);
  });

  it('given an exception after an exclusion, when matching, then the last matching pattern wins', () => {
    expect(excluded('dist\n!dist/keep.txt\n', ['dist/keep.txt', 'dist/other.txt'])).toEqual([
      'dist/other.txt',
    ]);
    expect(excluded('*\n!src\n', ['src/a.ts', 'README.md', 'package.json'])).toEqual([
      'README.md',
      'package.json',
    ]);
  });

  it('given the shortcuts Docker takes, when matching, then **.js is a suffix and docs/** a prefix', () => {
    expect(excluded('**.js\n', ['a/b.js', 'b.js', 'b.ts'])).toEqual(['a/b.js', 'b.js']);
    expect(excluded('docs/**\n', ['docs', 'docs/a/b.md', 'docsy'])).toEqual(['docs/a/b.md']);
  });

  it('given character classes and ?, when matching, then they match one character', () => {
    expect(excluded('[ab]?.txt\n', ['a1.txt', 'b22.txt', 'c1.txt'])).toEqual(['a1.txt']);
  });

  it('given a hostile pattern, when matching a long name, then it answers in linear time', () => {
    const started = Date.now();
    expect(excluded(`${'*a'.repeat(20)}*b\n`, ['a'.repeat(20_000)])).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('given an unclosed class, when reading, then the pattern is refused as Docker refuses it', () => {
    expect(() => new DockerignoreMatcher(['[abc'])).toThrow(/invalid/);
  });
});

describe('listContext and prepareContext', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prodsprint-context-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (path: string, text = path) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write('package.json');
  write('secrets/.env');
  write('node_modules/a/index.js');
  write('node_modules/keep/index.js');
  write('services/api/Dockerfile', 'FROM alpine\n');
  write('services/api/Dockerfile.dockerignore', '*\n!package.json\n');
  write('.dockerignore', 'secrets\nnode_modules\n!node_modules/keep\n');

  it('given an excluded folder with an exception inside, when listing, then only the exception is walked into', () => {
    const matcher = new DockerignoreMatcher(
      readDockerignore('secrets\nnode_modules\n!node_modules/keep\n'),
    );
    expect(listContext(dir, matcher).map((entry) => entry.path)).toEqual([
      '.dockerignore',
      'node_modules/keep',
      'node_modules/keep/index.js',
      'package.json',
      'services',
      'services/api',
      'services/api/Dockerfile',
      'services/api/Dockerfile.dockerignore',
    ]);
  });

  it('given <Dockerfile>.dockerignore, when preparing, then it applies instead of the root one and the translation travels under its own name', () => {
    const prepared = prepareContext(dir, 'services/api/Dockerfile', 'FROM alpine\nRUN true\n');
    const names = prepared.entries.map((entry) => entry.name);
    expect(names.filter((name) => !name.startsWith('.dockerfile.'))).toEqual([
      'package.json',
      '.dockerignore',
    ]);
    expect(prepared.dockerfile).toMatch(/^\.dockerfile\.[0-9a-f]{20}$/);
    const ignore = prepared.entries.find((entry) => entry.name === '.dockerignore')!;
    expect(ignore.content!.toString()).toBe(`.dockerignore\n\n${prepared.dockerfile}\n`);
  });

  it('given the Dockerfile unchanged, when preparing, then it travels at its own path', () => {
    writeFileSync(join(dir, 'Dockerfile'), 'FROM alpine\n');
    const prepared = prepareContext(dir, 'Dockerfile', 'FROM alpine\n');
    expect(prepared.dockerfile).toBe('Dockerfile');
    expect(prepared.entries.filter((entry) => entry.name === 'Dockerfile')).toHaveLength(1);
  });

  it('given an override, when preparing, then the file travels with the new content and the checkout is untouched', () => {
    writeFileSync(join(dir, 'Dockerfile'), 'FROM alpine\n');
    const before = readFileSync(join(dir, 'package.json'), 'utf8');
    const prepared = prepareContext(dir, 'Dockerfile', 'FROM alpine\n', {
      'package.json': '{"name":"rewritten"}',
    });
    const sent = prepared.entries.find((entry) => entry.name === 'package.json')!;
    expect(sent.content!.toString()).toBe('{"name":"rewritten"}');
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(before);
  });
});
