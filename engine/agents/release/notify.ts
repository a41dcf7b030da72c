/**
 * Release notifications (issue 9): `release.completed` when a release ends (promoted, rolled
 * back, aborted) and `policy.failed` when the gate refuses one. Each is sent once per run (a
 * keyed effect) with an id stable across retries so receivers can drop duplicates. A failed
 * delivery is logged and recorded on the release, and never fails it.
 */
import type { StageContext } from '../../runs/index.ts';
import {
  notifyWebhooks,
  type DeliveryOptions,
  type WebhookEndpoint,
  type WebhookEvent,
} from '../../webhooks/index.ts';
import type { ReleaseAgentOptions } from './options.ts';
import { getRelease, saveRelease, type Release, type ReleaseStore } from './release-state.ts';

export type ReleaseOutcome = 'promoted' | 'rolled-back' | 'aborted';

export function completedEvent(release: Release, outcome: ReleaseOutcome): WebhookEvent {
  return {
    type: 'release.completed',
    id: `${release.id}:release.completed:${outcome}`,
    data: {
      releaseId: release.id,
      projectId: release.projectId,
      version: release.version,
      environment: release.environment,
      strategy: release.strategy,
      outcome,
      stableVersion: release.detail.stableVersion,
      trafficPercent: release.trafficPercent,
      riskScore: release.riskScore,
      reason: release.detail.rollbackReason,
      hotfixBranch: release.detail.hotfixBranch ?? null,
    },
  };
}

export function policyFailedEvent(
  release: Release,
  reasons: string[],
  remediation: string[],
): WebhookEvent {
  return {
    type: 'policy.failed',
    id: `${release.id}:policy.failed`,
    data: {
      releaseId: release.id,
      projectId: release.projectId,
      version: release.version,
      environment: release.environment,
      gate: 'release',
      reasons,
      remediation,
    },
  };
}

/** Sends `event` once for this run (no-op without `options.notify`) and records the outcome. */
export async function notifyOnce(
  ctx: StageContext,
  store: ReleaseStore,
  options: Pick<ReleaseAgentOptions, 'notify' | 'log'>,
  releaseId: string,
  event: WebhookEvent,
): Promise<void> {
  const notify = options.notify;
  if (!notify) return;
  const result = await ctx.effect(`notify-${event.type}`, async () => {
    try {
      await notify(event);
      return { delivered: true, error: null as string | null };
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      (options.log ?? defaultLog)(`release ${releaseId}: ${event.type} not delivered: ${message}`);
      return { delivered: false, error: message };
    }
  });
  updateRelease(store, releaseId, 'release.notified', (release) => {
    const list = (release.detail.notifications ??= []);
    if (list.some((n) => n.type === event.type)) return false;
    list.push({
      type: event.type,
      at: new Date(ctx.now()).toISOString(),
      delivered: result.delivered,
      ...(result.error ? { error: result.error } : {}),
    });
    return { type: event.type, delivered: result.delivered };
  });
}

/**
 * Read-modify-write of a release in one IMMEDIATE transaction, for bookkeeping that must not
 * conflict with a concurrent save (it re-reads inside the lock). `change` returns the audit
 * meta, or false for nothing to save.
 */
export function updateRelease(
  store: ReleaseStore,
  releaseId: string,
  action: string,
  change: (release: Release) => Record<string, unknown> | false,
): Release | undefined {
  return store.db
    .transaction(() => {
      const release = getRelease(store.db, releaseId);
      if (!release) return undefined;
      const meta = change(release);
      return meta === false ? release : saveRelease(store, release, action, meta);
    })
    .immediate();
}

export function defaultLog(message: string): void {
  process.stderr.write(`${message}\n`);
}

/**
 * A `notify` for ReleaseAgentOptions on top of engine/webhooks: HMAC-signed, retried with
 * backoff, to every endpoint subscribed to the event. Throws (redacted) when any endpoint did
 * not take it, so the release records the failure.
 */
export function webhookNotifier(
  endpoints:
    | readonly WebhookEndpoint[]
    | (() => readonly WebhookEndpoint[] | Promise<readonly WebhookEndpoint[]>),
  options: DeliveryOptions,
): (event: WebhookEvent) => Promise<void> {
  return async (event) => {
    const list = typeof endpoints === 'function' ? await endpoints() : endpoints;
    const subscribed = list.filter((e) => e.events.includes(event.type));
    const results = await notifyWebhooks(subscribed, event, options);
    const failed = results
      .map((result, i) => ({ result, endpoint: subscribed[i]! }))
      .filter(({ result }) => !result.delivered)
      .map(({ result, endpoint }) => {
        const last = result.attempts.at(-1);
        const why = last?.error ?? (last?.status ? `HTTP ${last.status}` : 'no attempt');
        return `${safeUrl(endpoint.url)} after ${result.attempts.length} attempt(s): ${why}`;
      });
    if (failed.length > 0)
      throw new Error(
        options.redactor.redact(`${event.type} not delivered to ${failed.join('; ')}`),
      );
  };
}

/** The endpoint without credentials or query (a token in either must not reach a log). */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid url)';
  }
}
