// json.verify_schema / json.match_schema: a JSON Schema (draft 4-7) subset with the error shapes
// of gojsonschema, which OPA uses: type, enum, const, properties, required,
// additionalProperties, items, min/max(Length|Items|Properties), minimum/maximum (exclusive),
// multipleOf, pattern, uniqueItems, allOf/anyOf/oneOf/not.
import { builtinError, typeError } from '../errors.ts';
import { RObject, isInteger, isNumber, typeName } from '../value.ts';
import type { Value } from '../value.ts';
import { compareNumbers, equals, parseJSON, toJSONText } from '../value-ops.ts';
import { compileRegex } from './regex.ts';
import { def } from './types.ts';
import type { BuiltinTable } from './types.ts';

const TYPES = ['array', 'boolean', 'integer', 'number', 'null', 'object', 'string'];

type Err = { field: string; type: string; desc: string };

function parseArg(name: string, v: Value, i: number): Value {
  if (typeof v === 'string') {
    try {
      return parseJSON(v);
    } catch (e) {
      return builtinError(name, e instanceof Error ? e.message : 'invalid JSON');
    }
  }
  if (v instanceof RObject || typeof v === 'boolean') return v;
  return typeError(
    name,
    `operand ${i + 1} must be one of {object, string, boolean} but got ${typeName(v)}`,
  );
}

/** Check a schema's structure; returns an error message or undefined. */
function checkSchema(s: Value): string | undefined {
  if (!(s instanceof RObject)) return undefined;
  const t = s.get('type');
  for (const x of Array.isArray(t) ? t : t === undefined ? [] : [t]) {
    if (typeof x !== 'string' || !TYPES.includes(x))
      return `has a primitive type that is NOT VALID -- given: /${typeof x === 'string' ? x : toJSONText(x)}/ Expected valid values are:[${TYPES.join(' ')}]`;
  }
  const subs: Value[] = [];
  for (const k of ['properties', 'patternProperties', 'definitions', '$defs']) {
    const p = s.get(k);
    if (p instanceof RObject) subs.push(...p.values());
  }
  for (const k of ['items', 'additionalProperties', 'not', 'additionalItems']) {
    const p = s.get(k);
    if (Array.isArray(p)) subs.push(...p);
    else if (p !== undefined) subs.push(p);
  }
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    const p = s.get(k);
    if (Array.isArray(p)) subs.push(...p);
  }
  for (const sub of subs) {
    const e = checkSchema(sub);
    if (e) return e;
  }
  return undefined;
}

function jsonType(v: Value): string {
  if (isNumber(v)) return isInteger(v) ? 'integer' : 'number';
  return typeName(v);
}

function field(path: string, key: string): string {
  return path === '(root)' ? key : `${path}.${key}`;
}

function validate(v: Value, s: Value, path: string, errs: Err[]): void {
  if (s === false) {
    errs.push({ field: path, type: 'false', desc: 'False always fails validation' });
    return;
  }
  if (!(s instanceof RObject)) return;
  const t = s.get('type');
  if (t !== undefined) {
    const types = (Array.isArray(t) ? t : [t]) as string[];
    const actual = jsonType(v);
    if (!types.some((x) => x === actual || (x === 'number' && actual === 'integer'))) {
      errs.push({
        field: path,
        type: 'invalid_type',
        desc: `Invalid type. Expected: ${types.join('/')}, given: ${actual}`,
      });
      return;
    }
  }
  const en = s.get('enum');
  if (Array.isArray(en) && !en.some((x) => equals(x, v)))
    errs.push({
      field: path,
      type: 'enum',
      desc: `${path} must be one of the following: ${en.map((x) => toJSONText(x)).join(', ')}`,
    });
  const c = s.get('const');
  if (c !== undefined && !equals(c, v))
    errs.push({ field: path, type: 'const', desc: `${path} does not match: ${toJSONText(c)}` });
  if (typeof v === 'string') validateString(v, s, path, errs);
  if (isNumber(v)) validateNumber(v, s, path, errs);
  if (Array.isArray(v)) validateArray(v, s, path, errs);
  if (v instanceof RObject) validateObject(v, s, path, errs);
  const all = s.get('allOf');
  if (Array.isArray(all)) for (const sub of all) validate(v, sub, path, errs);
  const count = (subs: Value[]): number =>
    subs.filter((sub) => check(v, sub, path).length === 0).length;
  const any = s.get('anyOf');
  if (Array.isArray(any) && count(any) === 0)
    errs.push({
      field: path,
      type: 'number_any_of',
      desc: 'Must validate at least one schema (anyOf)',
    });
  const one = s.get('oneOf');
  if (Array.isArray(one) && count(one) !== 1)
    errs.push({
      field: path,
      type: 'number_one_of',
      desc: 'Must validate one and only one schema (oneOf)',
    });
  const not = s.get('not');
  if (not !== undefined && check(v, not, path).length === 0)
    errs.push({ field: path, type: 'number_not', desc: 'Must not validate the schema (not)' });
}

function check(v: Value, s: Value, path: string): Err[] {
  const errs: Err[] = [];
  validate(v, s, path, errs);
  return errs;
}

function validateString(v: string, s: RObject, path: string, errs: Err[]): void {
  const len = [...v].length;
  const min = s.get('minLength');
  const max = s.get('maxLength');
  if (isNumber(min ?? null) && len < Number(min))
    errs.push({
      field: path,
      type: 'string_gte',
      desc: `String length must be greater than or equal to ${String(min)}`,
    });
  if (isNumber(max ?? null) && len > Number(max))
    errs.push({
      field: path,
      type: 'string_lte',
      desc: `String length must be less than or equal to ${String(max)}`,
    });
  const pat = s.get('pattern');
  if (typeof pat === 'string' && !new RegExp(compileRegex(pat).source, 'u').test(v))
    errs.push({ field: path, type: 'pattern', desc: `Does not match pattern '${pat}'` });
}

function validateNumber(v: number | bigint, s: RObject, path: string, errs: Err[]): void {
  const bound = (k: string, bad: (c: number) => boolean, type: string, text: string): void => {
    const b = s.get(k);
    if (b !== undefined && isNumber(b) && bad(compareNumbers(v, b)))
      errs.push({ field: path, type, desc: `Must be ${text} ${String(b)}` });
  };
  bound(
    'minimum',
    (c) => c < 0 || (s.get('exclusiveMinimum') === true && c === 0),
    'number_gte',
    'greater than or equal to',
  );
  bound(
    'maximum',
    (c) => c > 0 || (s.get('exclusiveMaximum') === true && c === 0),
    'number_lte',
    'less than or equal to',
  );
  bound('exclusiveMinimum', (c) => c <= 0, 'number_gt', 'greater than');
  bound('exclusiveMaximum', (c) => c >= 0, 'number_lt', 'less than');
  const m = s.get('multipleOf');
  if (isNumber(m ?? null) && Number(v) % Number(m) !== 0)
    errs.push({ field: path, type: 'multiple_of', desc: `Must be a multiple of ${String(m)}` });
}

function validateArray(v: Value[], s: RObject, path: string, errs: Err[]): void {
  const min = s.get('minItems');
  const max = s.get('maxItems');
  if (isNumber(min ?? null) && v.length < Number(min))
    errs.push({
      field: path,
      type: 'array_min_items',
      desc: `Array must have at least ${String(min)} items`,
    });
  if (isNumber(max ?? null) && v.length > Number(max))
    errs.push({
      field: path,
      type: 'array_max_items',
      desc: `Array must have at most ${String(max)} items`,
    });
  if (s.get('uniqueItems') === true && v.some((x, i) => v.findIndex((y) => equals(x, y)) !== i))
    errs.push({ field: path, type: 'unique', desc: 'array items must be unique' });
  const items = s.get('items');
  if (Array.isArray(items))
    v.forEach(
      (x, i) => items[i] !== undefined && validate(x, items[i]!, field(path, String(i)), errs),
    );
  else if (items !== undefined)
    v.forEach((x, i) => validate(x, items, field(path, String(i)), errs));
}

function validateObject(v: RObject, s: RObject, path: string, errs: Err[]): void {
  const req = s.get('required');
  if (Array.isArray(req))
    for (const r of req)
      if (typeof r === 'string' && !v.has(r))
        errs.push({ field: path, type: 'required', desc: `${r} is required` });
  const props = s.get('properties');
  const known = props instanceof RObject ? props : new RObject();
  for (const [k, x] of v.entries()) {
    const sub = known.get(k);
    if (sub !== undefined) validate(x, sub, field(path, String(k)), errs);
    else {
      const ap = s.get('additionalProperties');
      if (ap === false)
        errs.push({
          field: path,
          type: 'additional_property_not_allowed',
          desc: `Additional property ${String(k)} is not allowed`,
        });
      else if (ap instanceof RObject) validate(x, ap, field(path, String(k)), errs);
    }
  }
  const min = s.get('minProperties');
  const max = s.get('maxProperties');
  if (isNumber(min ?? null) && v.size < Number(min))
    errs.push({
      field: path,
      type: 'array_min_properties',
      desc: `Must have at least ${String(min)} properties`,
    });
  if (isNumber(max ?? null) && v.size > Number(max))
    errs.push({
      field: path,
      type: 'array_max_properties',
      desc: `Must have at most ${String(max)} properties`,
    });
}

/** JSON schema builtins. */
export const jsonSchemaBuiltins: BuiltinTable = {
  'json.verify_schema': def(1, (a) => {
    const err = checkSchema(parseArg('json.verify_schema', a[0]!, 0));
    return err ? [false, `jsonschema: ${err}`] : [true, null];
  }),
  'json.match_schema': def(2, (a) => {
    const doc = parseArg('json.match_schema', a[0]!, 0);
    const schema = parseArg('json.match_schema', a[1]!, 1);
    const bad = checkSchema(schema);
    if (bad) builtinError('json.match_schema', bad);
    const errs = check(doc, schema, '(root)');
    const out = errs.map((e) =>
      RObject.of([
        ['desc', e.desc],
        ['error', `${e.field}: ${e.desc}`],
        ['field', e.field],
        ['type', e.type],
      ]),
    );
    return [errs.length === 0, out];
  }),
};
