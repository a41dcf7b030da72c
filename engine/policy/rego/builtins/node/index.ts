// Builtins that need Node APIs (node:crypto: hashes, HMAC, JWT, AWS SigV4, X.509). Kept out of the portable core: register them
// by passing nodeBuiltins() as QueryOptions.builtins when running on Node.
import type { Builtin } from '../types.ts';
import { cryptoBuiltins } from './crypto.ts';
import { jwtBuiltins } from './jwt.ts';
import { awsBuiltins } from './aws.ts';
import { x509Builtins } from './x509.ts';

/** Node-only builtins by name. */
export function nodeBuiltins(): Map<string, Builtin> {
  return new Map(
    Object.entries({ ...cryptoBuiltins, ...jwtBuiltins, ...awsBuiltins, ...x509Builtins }),
  );
}
