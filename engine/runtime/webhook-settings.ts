/**
 * Where release webhooks go: `<data dir>/webhooks.json`, written by the operator:
 *
 *   { "endpoints": [ { "url": "https://hooks.internal/prodsprint",
 *                      "secretEnv": "PRODSPRINT_WEBHOOK_SECRET",
 *                      "events": ["release.completed", "policy.failed"] } ] }
 *
 * The shared secret is named, never stored: it is read from the environment variable and
 * registered with the redactor so it cannot reach a log. A malformed file is an error that
 * names the file and the field, not silence: a team relying on release notifications must know.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Redactor } from '../secrets/redact.ts';
import type { WebhookEndpoint } from '../webhooks/index.ts';

const WebhookSettings = z
  .object({
    endpoints: z.array(
      z
        .object({
          url: z.url({ protocol: /^https?$/ }),
          secretEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name'),
          events: z.array(z.enum(['release.completed', 'policy.failed'])).min(1),
        })
        .strict(),
    ),
  })
  .strict();

export function webhookSettingsFile(dataDir: string): string {
  return join(dataDir, 'webhooks.json');
}

export function readWebhookEndpoints(
  dataDir: string,
  env: NodeJS.ProcessEnv,
  redactor: Redactor,
): WebhookEndpoint[] {
  const file = webhookSettingsFile(dataDir);
  if (!existsSync(file)) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = WebhookSettings.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data.endpoints.map((endpoint) => {
    const secret = env[endpoint.secretEnv];
    if (!secret) {
      throw new Error(
        `${file}: the webhook secret variable ${endpoint.secretEnv} is not set; export it before starting ProdSprint`,
      );
    }
    redactor.register(secret);
    return { url: endpoint.url, secret, events: endpoint.events };
  });
}
