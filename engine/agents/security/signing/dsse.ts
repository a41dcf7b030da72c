/**
 * DSSE envelopes (Dead Simple Signing Envelope v1), as cosign uses for attestations: the
 * signature covers PAE(payloadType, payload), never the raw payload, so the type is bound too.
 * https://github.com/secure-systems-lab/dsse/blob/master/protocol.md
 */
import { signPayload, verifyPayload } from './signing-keys.ts';

export interface DsseEnvelope {
  payloadType: string;
  /** base64 of the payload bytes. */
  payload: string;
  signatures: Array<{ keyid: string; sig: string }>;
}

/** Pre-Authentication Encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body. */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'utf8'),
    type,
    Buffer.from(` ${payload.length} `, 'utf8'),
    payload,
  ]);
}

export function signEnvelope(
  privateKeyPem: string,
  payloadType: string,
  payload: Uint8Array,
  keyid = '',
): DsseEnvelope {
  return {
    payloadType,
    payload: Buffer.from(payload).toString('base64'),
    signatures: [{ keyid, sig: signPayload(privateKeyPem, pae(payloadType, payload)) }],
  };
}

/** The payload bytes when some signature verifies with the key; undefined otherwise. */
export function verifyEnvelope(publicKeyPem: string, envelope: DsseEnvelope): Buffer | undefined {
  const payload = Buffer.from(envelope.payload, 'base64');
  if (payload.toString('base64') !== envelope.payload) return undefined;
  const message = pae(envelope.payloadType, payload);
  const ok = envelope.signatures.some((signature) =>
    verifyPayload(publicKeyPem, message, signature.sig),
  );
  return ok ? payload : undefined;
}
