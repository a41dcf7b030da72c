/**
 * One bounded HTTP request to a mirror the user configured (issue 14), to tell whether it
 * answers before anything depends on it: `doctor` lists the answer, `images publish` refuses to
 * build for a registry that is not there. Only the URL given is asked (redirects are not
 * followed, so a probe never reaches another host), with a short time limit, and the credential,
 * when there is one, goes only in the Authorization header, never into a message.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** Probes give up after this long: doctor runs many of them and must stay quick. */
export const PROBE_TIMEOUT_MS = 2000;

export type HttpProbe = { answered: true; status: number } | { answered: false; reason: string };

export interface ProbeOptions {
  timeoutMs?: number;
  /** `Basic …` or `Bearer …`, for a mirror whose setting names a credential. */
  authorization?: string;
  accept?: string;
}

/**
 * GET `url` once: the status it answered with, or why there was no answer. node:http rather than
 * fetch: fetch refuses ports on the browsers' "bad ports" list (6000, 6665…), where an internal
 * registry may well listen, and it would follow redirects.
 */
export function probeHttp(url: string, options: ProbeOptions = {}): Promise<HttpProbe> {
  const timeoutMs = Math.min(options.timeoutMs ?? PROBE_TIMEOUT_MS, PROBE_TIMEOUT_MS);
  const headers: Record<string, string> = {};
  if (options.authorization) headers.authorization = options.authorization;
  if (options.accept) headers.accept = options.accept;
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve({ answered: false, reason: `${url} is not a URL` });
      return;
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(target, { method: 'GET', headers, timeout: timeoutMs }, (response) => {
      // Only the status matters; the body is not read (a mirror's index can be large).
      response.destroy();
      resolve({ answered: true, status: response.statusCode ?? 0 });
    });
    request.on('timeout', () =>
      request.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })),
    );
    request.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ answered: false, reason: whyNoAnswer(error, timeoutMs) }),
    );
    request.end();
  });
}

function whyNoAnswer(error: NodeJS.ErrnoException, timeoutMs: number): string {
  switch (error.code) {
    case 'TIMEOUT':
      return `no answer within ${timeoutMs / 1000} s`;
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    case 'ECONNRESET':
      return 'the connection was reset';
    default:
      return error.code ? `${error.code}: ${error.message}` : error.message;
  }
}

/** The registry API root of a registry URL: `/v2/` on its host (a path prefix is a repository prefix). */
export function registryApiUrl(registryUrl: string): string {
  return new URL('/v2/', registryUrl).href;
}

/** Whether the configured registry answers as an OCI registry, and if not, what to do. */
export type RegistryProbe =
  { ok: true; status: number; detail: string } | { ok: false; detail: string; remedy: string };

/**
 * Asks `<registry>/v2/` (Distribution's API check). 200 is an open registry; 401 is one that
 * needs a login, which is fine when a credential is configured (Docker does the token exchange
 * itself on push and pull) and a missing setting when none is.
 */
export async function probeRegistry(
  registryUrl: string,
  options: {
    authorization?: string;
    /** How to point ProdSprint at another registry, for the remedies. */
    settingHint: string;
  },
): Promise<RegistryProbe> {
  const api = registryApiUrl(registryUrl);
  const probe = await probeHttp(
    api,
    options.authorization ? { authorization: options.authorization } : {},
  );
  if (!probe.answered)
    return {
      ok: false,
      detail: `the registry at ${registryUrl} does not answer (${probe.reason} on ${api})`,
      remedy: `start that registry or make it reachable from this machine, or point ProdSprint at one that answers: ${options.settingHint}`,
    };
  if (probe.status >= 200 && probe.status < 300)
    return { ok: true, status: probe.status, detail: `answers on ${api} (HTTP ${probe.status})` };
  if (probe.status === 401 && options.authorization)
    return {
      ok: true,
      status: probe.status,
      detail: `answers on ${api} and asks for a login (HTTP 401); a credential is configured`,
    };
  if (probe.status === 401)
    return {
      ok: false,
      detail: `the registry at ${registryUrl} needs a login (HTTP 401 on ${api}) and no credential is configured for it`,
      remedy: `put its credential (a token, or user:password) in an environment variable and name it in the setting: \`prodsprint config set registry.mirror ${registryUrl} --credential-ref env:NAME\``,
    };
  return {
    ok: false,
    detail: `${registryUrl} is not an OCI registry API: ${api} answered HTTP ${probe.status} (a registry answers 200 or 401)`,
    remedy: `give the registry's base URL, the one whose /v2/ answers: ${options.settingHint}`,
  };
}
