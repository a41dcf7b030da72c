/**
 * Every generated YAML and JSON file parses, and every k6 script parses as an ES module
 * (acorn, sourceType module) with thresholds taken from the perf budget. Helm templates are Go
 * templates, not YAML, until Helm renders them, so they are checked for balanced actions only.
 */
import { parse as parseModule } from 'acorn';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { artifactsMatching } from './cases.ts';

const helmTemplate = /^deploy\/helm\/[^/]+\/templates\//;
const yamlFiles = (await artifactsMatching(/\.ya?ml$/)).filter((a) => !helmTemplate.test(a.path));
const jsonFiles = await artifactsMatching(/\.json$/);
const k6Scripts = await artifactsMatching(/^perf\/k6\/.+\.js$/);
const helmTemplates = (await artifactsMatching(helmTemplate)).filter((a) =>
  a.path.endsWith('.yaml'),
);

describe('generated files parse', () => {
  it.each(yamlFiles.map((a) => [`${a.name}: ${a.path}`, a] as const))('%s is YAML', (_label, a) => {
    const docs = parseAllDocuments(a.content);
    const errors = (Array.isArray(docs) ? docs : [docs]).flatMap((d) =>
      d.errors.map((e) => e.message),
    );
    expect(errors).toEqual([]);
  });

  it.each(jsonFiles.map((a) => [`${a.name}: ${a.path}`, a] as const))('%s is JSON', (_label, a) => {
    expect(() => JSON.parse(a.content)).not.toThrow();
  });

  it.each(k6Scripts.map((a) => [`${a.name}: ${a.path}`, a] as const))(
    '%s is an ES module with budget thresholds',
    (_label, a) => {
      const program = parseModule(a.content, { ecmaVersion: 'latest', sourceType: 'module' });
      const kinds = program.body.map((n) => n.type);
      expect(kinds).toContain('ImportDeclaration');
      expect(kinds).toContain('ExportDefaultDeclaration');
      const budget = a.name.endsWith('-docker')
        ? { p95: 500, rate: 0.01 }
        : { p95: 300, rate: 0.005 };
      expect(a.content).toContain(`http_req_duration: ['p(95)<${budget.p95}']`);
      expect(a.content).toContain(`http_req_failed: ['rate<${budget.rate}']`);
    },
  );

  it('the module check rejects a script that is not an ES module (it is really parsing)', () => {
    expect(() =>
      parseModule('export default function ( {', { ecmaVersion: 'latest', sourceType: 'module' }),
    ).toThrow();
  });

  it.each(helmTemplates.map((a) => [`${a.name}: ${a.path}`, a] as const))(
    '%s has balanced template actions',
    (_label, a) => {
      expect(a.content.split('{{').length).toBe(a.content.split('}}').length);
    },
  );
});
