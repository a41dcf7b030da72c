/** Outgoing webhooks (issue 9): release.completed and policy.failed, HMAC-signed, retried. */
export {
  deliverWebhook,
  notifyWebhooks,
  WEBHOOK_RETRY,
  type DeliveryAttempt,
  type DeliveryOptions,
  type DeliveryResult,
  type WebhookEndpoint,
  type WebhookEvent,
  type WebhookEventType,
} from './deliver.ts';
export { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER, verifyWebhook } from './signature.ts';
