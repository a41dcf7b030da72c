// Loads OPA conformance case files (YAML, see ../shared/conformance/opa/README.md) with
// lossless numbers: integers are read as bigint so values beyond 2^53 stay exact.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { fromJS } from '../rego/value-ops.ts';
import type { Value } from '../rego/value.ts';

/** One conformance case, identified by file (relative to the cases dir) and index. */
export type ConformanceCase = {
  id: string;
  dir: string;
  file: string;
  index: number;
  note: string;
  query: string;
  modules: string[];
  data: Value | undefined;
  input: Value | undefined;
  inputTerm: string | undefined;
  wantResult: Value[] | undefined;
  wantErrorCode: string | undefined;
  wantError: string | undefined;
  strictError: boolean;
  sortBindings: boolean;
  ignoreGeneratedVars: boolean;
};

async function yamlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const ent of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, ent.name);
    if (ent.isDirectory()) out.push(...(await yamlFiles(p)));
    else if (/\.ya?ml$/.test(ent.name)) out.push(p);
  }
  return out.sort();
}

type RawCase = Record<string, unknown>;

/** Read every case under a directory. */
export async function loadCases(root: string): Promise<ConformanceCase[]> {
  const cases: ConformanceCase[] = [];
  for (const path of await yamlFiles(root)) {
    const file = relative(root, path).split('\\').join('/');
    const doc = parse(await readFile(path, 'utf8'), { intAsBigInt: true }) as {
      cases?: RawCase[];
    } | null;
    (doc?.cases ?? []).forEach((c, index) => {
      const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(c, k);
      cases.push({
        id: `${file}#${index}`,
        dir: file.includes('/') ? file.slice(0, file.indexOf('/')) : '.',
        file,
        index,
        note: String(c.note ?? ''),
        query: String(c.query ?? ''),
        modules: (c.modules as string[] | undefined) ?? [],
        data: has('data') ? fromJS(c.data) : undefined,
        input: has('input') ? fromJS(c.input) : undefined,
        inputTerm: has('input_term') ? String(c.input_term) : undefined,
        wantResult: has('want_result')
          ? ((c.want_result as unknown[] | null) ?? []).map(fromJS)
          : undefined,
        wantErrorCode: has('want_error_code') ? String(c.want_error_code) : undefined,
        wantError: has('want_error') ? String(c.want_error ?? '') : undefined,
        strictError: c.strict_error === true,
        sortBindings: c.sort_bindings === true,
        ignoreGeneratedVars: c.ignore_generated_vars === true,
      });
    });
  }
  return cases;
}
