import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures: HMAC-SHA256 over `<timestamp>.<body>` with the receiver's shared secret,
 * sent as `x-prodsprint-signature: sha256=<hex>` beside `x-prodsprint-timestamp` (Unix seconds).
 * Signing the timestamp with the body lets a receiver refuse a captured delivery replayed later
 * (the scheme GitHub, Stripe and the Standard Webhooks spec use).
 */
export const SIGNATURE_HEADER = 'x-prodsprint-signature';
export const TIMESTAMP_HEADER = 'x-prodsprint-timestamp';

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface VerifyOptions {
  /** How far the timestamp may be from `now`, in seconds; default 300. */
  toleranceSeconds?: number;
  now?: number;
}

/** For receivers (and our tests): true only for an intact body, the right secret and a fresh timestamp. */
export function verifyWebhook(
  secret: string,
  body: string,
  timestampHeader: string | undefined,
  signatureHeader: string | undefined,
  options: VerifyOptions = {},
): boolean {
  const timestamp = Number(timestampHeader);
  if (!Number.isInteger(timestamp) || !signatureHeader) return false;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const presented = Buffer.from(signatureHeader);
  return expected.length === presented.length && timingSafeEqual(expected, presented);
}
