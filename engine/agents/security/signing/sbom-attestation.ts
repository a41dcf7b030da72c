/**
 * SBOM attestations: an in-toto Statement v1 whose subject is the image digest and whose
 * predicate is the CycloneDX SBOM, wrapped in a signed DSSE envelope, which is what
 * `cosign attest --type cyclonedx` produces and `cosign verify-attestation` checks.
 * https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md
 */
import { keyId } from './signing-keys.ts';
import { signEnvelope, verifyEnvelope } from './dsse.ts';
import type { DsseEnvelope } from './dsse.ts';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const CYCLONEDX_PREDICATE = 'https://cyclonedx.org/bom';

export interface InTotoStatement {
  _type: string;
  subject: Array<{ name: string; digest: Record<string, string> }>;
  predicateType: string;
  predicate: unknown;
}

export function attestSbom(
  privateKeyPem: string,
  publicKeyPem: string,
  subject: { name: string; digest: string },
  sbom: unknown,
): DsseEnvelope {
  const [algorithm, hex] = subject.digest.split(':');
  if (algorithm !== 'sha256' || !/^[0-9a-f]{64}$/.test(hex ?? '')) {
    throw new Error(`not a sha256 digest: ${subject.digest}`);
  }
  const statement: InTotoStatement = {
    _type: STATEMENT_TYPE,
    subject: [{ name: subject.name, digest: { sha256: hex! } }],
    predicateType: CYCLONEDX_PREDICATE,
    predicate: sbom,
  };
  const payload = Buffer.from(JSON.stringify(statement), 'utf8');
  return signEnvelope(privateKeyPem, IN_TOTO_PAYLOAD_TYPE, payload, keyId(publicKeyPem));
}

export type AttestationResult =
  { ok: true; statement: InTotoStatement } | { ok: false; reason: string };

/** Verifies the envelope and that its statement attests a CycloneDX SBOM for `digest`. */
export function verifySbomAttestation(
  publicKeyPem: string,
  envelope: DsseEnvelope,
  digest: string,
): AttestationResult {
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    return { ok: false, reason: `payload type ${envelope.payloadType} is not in-toto` };
  }
  const payload = verifyEnvelope(publicKeyPem, envelope);
  if (!payload)
    return { ok: false, reason: 'no signature on the envelope verifies with this public key' };
  let statement: InTotoStatement;
  try {
    statement = JSON.parse(payload.toString('utf8')) as InTotoStatement;
  } catch {
    return { ok: false, reason: 'the attested payload is not JSON' };
  }
  if (statement._type !== STATEMENT_TYPE || statement.predicateType !== CYCLONEDX_PREDICATE) {
    return { ok: false, reason: 'the statement is not an in-toto v1 CycloneDX attestation' };
  }
  const hex = digest.replace(/^sha256:/, '');
  if (!statement.subject?.some((s) => s.digest?.sha256 === hex)) {
    return { ok: false, reason: `the attestation's subject is not ${digest}` };
  }
  return { ok: true, statement };
}
