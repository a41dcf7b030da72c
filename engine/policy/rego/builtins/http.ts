// http.send: the request object is validated like OPA does, but ProdSprint is offline-first
// (ARCHITECTURE invariant 8), so a valid request fails with a clear builtin error instead of
// reaching the network.
import { builtinError, typeError } from '../errors.ts';
import { RSet } from '../value.ts';
import { toRegoText } from '../value-ops.ts';
import { obj } from './args.ts';
import { def } from './types.ts';
import type { BuiltinTable } from './types.ts';

const ALLOWED = new Set([
  'method',
  'url',
  'body',
  'raw_body',
  'headers',
  'enable_redirect',
  'force_json_decode',
  'force_yaml_decode',
  'tls_use_system_certs',
  'tls_ca_cert',
  'tls_ca_cert_file',
  'tls_ca_cert_env_variable',
  'tls_client_cert',
  'tls_client_cert_file',
  'tls_client_cert_env_variable',
  'tls_client_key',
  'tls_client_key_file',
  'tls_client_key_env_variable',
  'tls_insecure_skip_verify',
  'tls_server_name',
  'timeout',
  'cache',
  'force_cache',
  'force_cache_duration_seconds',
  'raise_error',
  'caching_mode',
  'max_retry_attempts',
  'cache_ignored_headers',
]);

/** http.send builtin (validation only). */
export const httpBuiltins: BuiltinTable = {
  'http.send': def(1, (a) => {
    const req = obj('http.send', a, 0);
    const invalid = req.keys().filter((k) => typeof k !== 'string' || !ALLOWED.has(k));
    if (invalid.length)
      typeError('http.send', `invalid request parameters(s): ${toRegoText(RSet.of(invalid))}`);
    const missing = ['method', 'url'].filter((k) => !req.has(k));
    if (missing.length)
      typeError(
        'http.send',
        `missing required request parameters(s): ${toRegoText(RSet.of(missing))}`,
      );
    return builtinError(
      'http.send',
      'network access is disabled: ProdSprint evaluates policies offline',
    );
  }),
};
