import { randomUUID } from 'node:crypto';
import { backoffDelayMs, type RandomSource } from '../runs/backoff.ts';
import type { RetryPolicy } from '../runs/stage-definition.ts';
import type { Redactor } from '../secrets/redact.ts';
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './signature.ts';

/** The events the seed names; receivers switch on `type`. */
export type WebhookEventType = 'release.completed' | 'policy.failed';

export interface WebhookEndpoint {
  url: string;
  /** Shared with the receiver; never logged (registered with the redactor). */
  secret: string;
  events: readonly WebhookEventType[];
}

export interface WebhookEvent {
  type: WebhookEventType;
  /** Stable across retries, so a receiver can drop duplicates. */
  id?: string;
  data: Record<string, unknown>;
}

export interface DeliveryAttempt {
  attempt: number;
  status: number | null;
  error: string | null;
  /** Wait before the next attempt, when there is one. */
  retryInMs: number | null;
}

export interface DeliveryResult {
  delivered: boolean;
  deliveryId: string;
  attempts: DeliveryAttempt[];
}

export interface DeliveryOptions {
  redactor: Redactor;
  retry?: RetryPolicy;
  random?: RandomSource;
  /** Injected so tests need not wait; the run engine passes its timer-backed one. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export const WEBHOOK_RETRY: RetryPolicy = {
  maxAttempts: 6,
  initialDelayMs: 1000,
  maxDelayMs: 60_000,
  multiplier: 2,
};

/** 408, 429 and 5xx may succeed later; any other answer will not change by asking again. */
function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Delivers one event to one endpoint: a signed POST, retried with exponential backoff and full
 * jitter on network errors, timeouts, 408, 429 (honouring Retry-After) and 5xx. Every attempt
 * is returned for the caller to record; errors are redacted.
 */
export async function deliverWebhook(
  endpoint: WebhookEndpoint,
  event: WebhookEvent,
  options: DeliveryOptions,
): Promise<DeliveryResult> {
  if (endpoint.secret.length < 16) {
    throw new Error(
      `the webhook secret for ${endpoint.url} is too short: use at least 16 random characters (openssl rand -hex 32)`,
    );
  }
  options.redactor.register(endpoint.secret);
  const retry = options.retry ?? WEBHOOK_RETRY;
  const random = options.random ?? Math.random;
  const sleep =
    options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? (() => new Date());
  const deliveryId = event.id ?? randomUUID();
  const body = JSON.stringify({
    id: deliveryId,
    type: event.type,
    occurredAt: now().toISOString(),
    data: event.data,
  });
  const attempts: DeliveryAttempt[] = [];

  for (let attempt = 1; attempt <= retry.maxAttempts; attempt++) {
    const timestamp = Math.floor(now().getTime() / 1000);
    let status: number | null = null;
    let error: string | null = null;
    let retryAfterMs: number | null = null;
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-prodsprint-event': event.type,
          'x-prodsprint-delivery': deliveryId,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(endpoint.secret, timestamp, body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.any([
          AbortSignal.timeout(options.timeoutMs ?? 10_000),
          ...(options.signal ? [options.signal] : []),
        ]),
      });
      status = response.status;
      await response.body?.cancel();
      const header = Number(response.headers.get('retry-after'));
      if (status === 429 && Number.isFinite(header) && header >= 0) retryAfterMs = header * 1000;
      if (status >= 200 && status < 300) {
        attempts.push({ attempt, status, error, retryInMs: null });
        return { delivered: true, deliveryId, attempts };
      }
    } catch (caught) {
      if (options.signal?.aborted) throw caught;
      error = options.redactor.redact((caught as Error).message);
    }
    const again = attempt < retry.maxAttempts && (status === null || retryable(status));
    const retryInMs = again
      ? Math.min(retry.maxDelayMs, retryAfterMs ?? backoffDelayMs(retry, attempt, random))
      : null;
    attempts.push({ attempt, status, error, retryInMs });
    if (retryInMs === null) break;
    await sleep(retryInMs);
  }
  return { delivered: false, deliveryId, attempts };
}

/** Delivers an event to every endpoint subscribed to its type, one after another. */
export async function notifyWebhooks(
  endpoints: readonly WebhookEndpoint[],
  event: WebhookEvent,
  options: DeliveryOptions,
): Promise<DeliveryResult[]> {
  const results: DeliveryResult[] = [];
  for (const endpoint of endpoints.filter((candidate) => candidate.events.includes(event.type))) {
    results.push(await deliverWebhook(endpoint, event, options));
  }
  return results;
}
