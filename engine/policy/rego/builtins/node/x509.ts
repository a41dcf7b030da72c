// crypto.x509.* and private-key builtins on node:crypto. Certificates come back as a subset of
// Go's x509.Certificate fields (Subject, Issuer, DNSNames, URIStrings, EmailAddresses,
// IPAddresses, NotBefore, NotAfter, SerialNumber, IsCA, Raw); empty lists are null as in Go.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { builtinError } from '../../errors.ts';
import { RObject, num } from '../../value.ts';
import type { Value } from '../../value.ts';
import { fromJS } from '../../value-ops.ts';
import { str } from '../args.ts';
import { def } from '../types.ts';
import type { BuiltinContext, BuiltinTable } from '../types.ts';
import { derChildren, derSubjectCN } from './der.ts';

const PEM = /-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/g;

function b64(name: string, s: string): Buffer {
  const t = s.replace(/[\r\n]/g, '');
  const bad = /[^A-Za-z0-9+/=]/.exec(t);
  if (bad) builtinError(name, `illegal base64 data at input byte ${bad.index}`);
  if (t.length % 4 !== 0)
    builtinError(name, `illegal base64 data at input byte ${t.length - (t.length % 4)}`);
  return Buffer.from(t, 'base64');
}

/** PEM blocks of one kind, or DER bytes, from PEM text, base64 of PEM, or base64 of DER. */
function blocks(name: string, input: string): { pem: string[]; der: Buffer | undefined } {
  let text = input;
  if (!text.includes('-----BEGIN')) {
    const raw = b64(name, text);
    const decoded = raw.toString('latin1');
    if (!decoded.includes('-----BEGIN')) return { pem: [], der: raw };
    text = decoded;
  }
  return { pem: [...text.matchAll(PEM)].map((m) => m[0]), der: undefined };
}

function names(dn: string): RObject {
  const fields = new Map<string, string[]>();
  for (const line of dn.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0)
      fields.set(line.slice(0, i), [...(fields.get(line.slice(0, i)) ?? []), line.slice(i + 1)]);
  }
  const list = (k: string): Value => fields.get(k) ?? null;
  return RObject.of([
    ['CommonName', fields.get('CN')?.[0] ?? ''],
    ['Country', list('C')],
    ['Organization', list('O')],
    ['OrganizationalUnit', list('OU')],
    ['Locality', list('L')],
    ['Province', list('ST')],
    ['SerialNumber', fields.get('serialNumber')?.[0] ?? ''],
  ]);
}

function certObject(c: X509Certificate): RObject {
  const sans = (c.subjectAltName ?? '').split(/,\s*/).filter(Boolean);
  const san = (prefix: string): Value => {
    const xs = sans.filter((s) => s.startsWith(prefix)).map((s) => s.slice(prefix.length));
    return xs.length ? xs : null;
  };
  return RObject.of([
    ['Subject', names(c.subject)],
    ['Issuer', names(c.issuer)],
    ['DNSNames', san('DNS:')],
    ['URIStrings', san('URI:')],
    ['EmailAddresses', san('email:')],
    ['IPAddresses', san('IP Address:')],
    ['NotBefore', new Date(c.validFrom).toISOString().replace('.000', '')],
    ['NotAfter', new Date(c.validTo).toISOString().replace('.000', '')],
    ['SerialNumber', num(BigInt('0x' + c.serialNumber))],
    ['IsCA', c.ca],
    ['Raw', c.raw.toString('base64')],
  ]);
}

function certificates(name: string, input: string): X509Certificate[] {
  const { pem, der } = blocks(name, input);
  try {
    if (der) return derChildren(der).map((d) => new X509Certificate(d));
    return pem
      .filter((p) => p.startsWith('-----BEGIN CERTIFICATE-----'))
      .map((p) => new X509Certificate(p));
  } catch {
    return builtinError(name, 'x509: malformed certificate');
  }
}

function verifyChain(certs: X509Certificate[], now: Date): boolean {
  if (certs.length === 0) return false;
  for (let i = 0; i < certs.length; i++) {
    const c = certs[i]!;
    const issuer = certs[i + 1] ?? c;
    if (now < new Date(c.validFrom) || now > new Date(c.validTo)) return false;
    if (!c.checkIssued(issuer) || !c.verify(issuer.publicKey)) return false;
  }
  return true;
}

function privateKeyJWK(pem: string): Value {
  return fromJS(createPrivateKey(pem).export({ format: 'jwk' }));
}

function pemText(name: string, s: string): string {
  return s.includes('-----BEGIN') ? s : b64(name, s).toString('utf8');
}

/** X.509 and private key builtins. */
export const x509Builtins: BuiltinTable = {
  'crypto.x509.parse_certificates': def(1, (a) =>
    certificates('crypto.x509.parse_certificates', str('crypto.x509.parse_certificates', a, 0)).map(
      certObject,
    ),
  ),
  'crypto.x509.parse_and_verify_certificates': def(1, (a, ctx: BuiltinContext) => {
    const name = 'crypto.x509.parse_and_verify_certificates';
    let certs: X509Certificate[];
    try {
      certs = certificates(name, str(name, a, 0));
    } catch {
      return [false, []];
    }
    // OPA takes the first certificate as the root and the last as the leaf.
    const chain = [...certs].reverse();
    const now = new Date(Number(ctx.nowNs() / 1_000_000n));
    return verifyChain(chain, now) ? [true, chain.map(certObject)] : [false, []];
  }),
  'crypto.x509.parse_certificate_request': def(1, (a) => {
    const name = 'crypto.x509.parse_certificate_request';
    const { pem, der } = blocks(name, str(name, a, 0));
    const bytes =
      der ??
      Buffer.from((pem[0] ?? '').replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
    const cn = derSubjectCN(bytes);
    if (cn === undefined) builtinError(name, "asn1: structure error: tags don't match");
    return RObject.of([['Subject', RObject.of([['CommonName', cn]])]]);
  }),
  'crypto.x509.parse_rsa_private_key': def(1, (a) => {
    const name = 'crypto.x509.parse_rsa_private_key';
    try {
      return privateKeyJWK(pemText(name, str(name, a, 0)));
    } catch (e) {
      return builtinError(name, e instanceof Error ? e.message : 'invalid key');
    }
  }),
  'crypto.parse_private_keys': def(1, (a) => {
    const s = str('crypto.parse_private_keys', a, 0);
    // Go returns a nil slice (JSON null) for empty input and an empty one for junk.
    if (s === '') return null;
    let text: string;
    try {
      text = pemText('crypto.parse_private_keys', s);
    } catch {
      return [];
    }
    return [...text.matchAll(PEM)]
      .filter((m) => m[1]!.endsWith('PRIVATE KEY'))
      .map((m) => privateKeyJWK(m[0]));
  }),
  'crypto.x509.parse_keypair': def(2, (a) => {
    const name = 'crypto.x509.parse_keypair';
    const certs = certificates(name, str(name, a, 0));
    const key = privateKeyJWK(pemText(name, str(name, a, 1)));
    return RObject.of([
      ['Certificate', certs.map((c) => c.raw.toString('base64'))],
      ['PrivateKey', key],
    ]);
  }),
};
