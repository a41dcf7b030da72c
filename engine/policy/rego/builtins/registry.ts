// The default builtin table: every portable family. Node-only builtins register separately.
import type { Builtin, BuiltinTable } from './types.ts';
import { compareBuiltins } from './compare.ts';
import { numberBuiltins } from './numbers.ts';
import { aggregateBuiltins } from './aggregates.ts';
import { collectionBuiltins } from './collections.ts';
import { objectBuiltins } from './objects.ts';
import { typeBuiltins } from './typecheck.ts';
import { stringBuiltins } from './strings.ts';
import { graphBuiltins } from './graph.ts';
import { encodingBuiltins } from './encoding.ts';
import { regexBuiltins } from './regex.ts';
import { timeBuiltins } from './time.ts';
import { netBuiltins } from './net.ts';
import { miscBuiltins } from './misc.ts';
import { jsonDocBuiltins } from './jsondoc.ts';
import { uriBuiltins } from './uri.ts';
import { httpBuiltins } from './http.ts';
import { conversionBuiltins } from './conversions.ts';
import { jsonSchemaBuiltins } from './jsonschema.ts';
import { graphqlBuiltins } from './graphql/index.ts';

const families: BuiltinTable[] = [
  compareBuiltins,
  numberBuiltins,
  aggregateBuiltins,
  collectionBuiltins,
  objectBuiltins,
  typeBuiltins,
  stringBuiltins,
  graphBuiltins,
  encodingBuiltins,
  regexBuiltins,
  timeBuiltins,
  netBuiltins,
  miscBuiltins,
  jsonDocBuiltins,
  uriBuiltins,
  httpBuiltins,
  conversionBuiltins,
  jsonSchemaBuiltins,
  graphqlBuiltins,
];

/** All portable builtins by name. */
export function defaultBuiltins(): Map<string, Builtin> {
  const m = new Map<string, Builtin>();
  for (const f of families) for (const [k, v] of Object.entries(f)) m.set(k, v);
  return m;
}
