// Hash and HMAC builtins backed by node:crypto. Node-only: registered through nodeBuiltins().
import { createHash, createHmac } from 'node:crypto';
import { str } from '../args.ts';
import { def } from '../types.ts';
import type { BuiltinTable } from '../types.ts';

const hash = (name: string, alg: string) =>
  def(1, (a) =>
    createHash(alg)
      .update(str(name, a, 0), 'utf8')
      .digest('hex'),
  );
const hmac = (name: string, alg: string) =>
  def(2, (a) =>
    createHmac(alg, Buffer.from(str(name, a, 1), 'utf8'))
      .update(str(name, a, 0), 'utf8')
      .digest('hex'),
  );

/** crypto.* hash and HMAC builtins. */
export const cryptoBuiltins: BuiltinTable = {
  'crypto.md5': hash('crypto.md5', 'md5'),
  'crypto.sha1': hash('crypto.sha1', 'sha1'),
  'crypto.sha256': hash('crypto.sha256', 'sha256'),
  'crypto.hmac.md5': hmac('crypto.hmac.md5', 'md5'),
  'crypto.hmac.sha1': hmac('crypto.hmac.sha1', 'sha1'),
  'crypto.hmac.sha256': hmac('crypto.hmac.sha256', 'sha256'),
  'crypto.hmac.sha512': hmac('crypto.hmac.sha512', 'sha512'),
  'crypto.hmac.equal': def(
    2,
    (a) => str('crypto.hmac.equal', a, 0) === str('crypto.hmac.equal', a, 1),
  ),
};
