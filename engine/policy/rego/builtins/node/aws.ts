// providers.aws.sign_req: AWS Signature Version 4 over an http.send-style request object
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv4-create-signed-request.html).
import { createHash, createHmac } from 'node:crypto';
import { typeError } from '../../errors.ts';
import { RObject, RSet, isNumber } from '../../value.ts';
import type { Value } from '../../value.ts';
import { toJSONText, toRegoText } from '../../value-ops.ts';
import { obj } from '../args.ts';
import { def } from '../types.ts';
import type { BuiltinTable } from '../types.ts';

const NAME = 'providers.aws.sign_req';
const sha256 = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');
const hmac = (key: string | Buffer, s: string): Buffer =>
  createHmac('sha256', key).update(s).digest();

function requireStrings(
  o: RObject,
  keys: string[],
  operand: number,
  what: string,
): Record<string, string> {
  const missing = keys.filter((k) => !o.has(k));
  if (missing.length)
    typeError(
      NAME,
      `operand ${operand} missing required ${what} parameters(s): ${toRegoText(RSet.of(missing))}`,
    );
  const bad = keys.filter((k) => typeof o.get(k) !== 'string');
  if (bad.length)
    typeError(
      NAME,
      `operand ${operand} invalid values for required ${what} parameters(s): ${toRegoText(RSet.of(bad))}`,
    );
  return Object.fromEntries(keys.map((k) => [k, o.get(k) as string]));
}

function amzDate(ns: Value): string {
  if (!isNumber(ns))
    return typeError(NAME, 'operand 3 could not convert time_ns value into a unix timestamp');
  const ms = Number(BigInt(typeof ns === 'bigint' ? ns : Math.trunc(ns)) / 1_000_000n);
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

const encode = (s: string): string =>
  encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
  );

function sign(req: RObject, cfg: RObject, ns: Value): RObject {
  const { method = '', url = '' } = requireStrings(req, ['method', 'url'], 1, 'request');
  const creds = requireStrings(
    cfg,
    ['aws_access_key', 'aws_region', 'aws_secret_access_key', 'aws_service'],
    2,
    'AWS config',
  );
  const unsigned = cfg.get('disable_payload_signing');
  if (unsigned !== undefined && typeof unsigned !== 'boolean')
    typeError(NAME, "operand 2 invalid value for 'disable_payload_signing' in AWS config");
  const date = amzDate(ns);
  const u = new URL(url);
  const raw = req.get('raw_body');
  const body = typeof raw === 'string' ? raw : req.has('body') ? toJSONText(req.get('body')!) : '';
  const headers = new Map<string, string>();
  const given = req.get('headers');
  if (given instanceof RObject)
    for (const [k, v] of given.entries()) headers.set(String(k).toLowerCase(), String(v));
  headers.set('host', u.host);
  headers.set('x-amz-content-sha256', unsigned === true ? 'UNSIGNED-PAYLOAD' : sha256(body));
  headers.set('x-amz-date', date);
  const token = cfg.get('aws_session_token');
  if (typeof token === 'string') headers.set('x-amz-security-token', token);
  const names = [...headers.keys()].sort();
  const query = [...u.searchParams.entries()]
    .map(([k, v]) => `${encode(k)}=${encode(v)}`)
    .sort()
    .join('&');
  // OPA signs the method as written and the raw path (empty when the URL has none).
  const rawPath = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(url)?.[1] ?? u.pathname;
  const canonical = [
    method,
    rawPath,
    query,
    names.map((n) => `${n}:${headers.get(n)!.trim()}\n`).join(''),
    names.join(';'),
    headers.get('x-amz-content-sha256')!,
  ].join('\n');
  const scope = `${date.slice(0, 8)}/${creds.aws_region}/${creds.aws_service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', date, scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${creds.aws_secret_access_key}`, date.slice(0, 8));
  for (const part of [creds.aws_region ?? '', creds.aws_service ?? '', 'aws4_request'])
    key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  const out = RObject.of(req.entries());
  const hdrs = RObject.of([...headers.entries()]);
  hdrs.set(
    'Authorization',
    `AWS4-HMAC-SHA256 Credential=${creds.aws_access_key}/${scope},SignedHeaders=${names.join(';')},Signature=${signature}`,
  );
  out.set('headers', hdrs);
  return out;
}

/** AWS provider builtins. */
export const awsBuiltins: BuiltinTable = {
  [NAME]: def(3, (a) => sign(obj(NAME, a, 0), obj(NAME, a, 1), a[2]!)),
};
