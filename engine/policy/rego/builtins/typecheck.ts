// Type predicates and type_name.
import { typeName } from '../value.ts';
import type { Value } from '../value.ts';
import { def } from './types.ts';
import type { BuiltinTable } from './types.ts';

const is = (t: string) => def(1, ([v]: Value[]) => typeName(v!) === t);

/** Type builtins. */
export const typeBuiltins: BuiltinTable = {
  is_number: is('number'),
  is_string: is('string'),
  is_boolean: is('boolean'),
  is_array: is('array'),
  is_set: is('set'),
  is_object: is('object'),
  is_null: is('null'),
  type_name: def(1, ([v]) => typeName(v!)),
};
