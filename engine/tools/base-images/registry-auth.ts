/**
 * Docker's X-Registry-Auth for a registry whose credential ProdSprint holds as an Authorization
 * header (engine/environments/local/offline-settings.ts `resolveMirrorCredential`): Basic
 * becomes username/password, Bearer a registry token. Passed to dockerode as the auth argument,
 * never in the query string.
 */
import { mirrorHost } from './image-reference.ts';

export function registryAuth(
  registryUrl: string,
  authHeader: string | undefined,
): Record<string, string> | undefined {
  const header = authHeader?.trim();
  if (!header) return undefined;
  const serveraddress = mirrorHost(registryUrl).split('/')[0] as string;
  const [scheme = '', value = ''] = header.split(/\s+/, 2);
  if (scheme.toLowerCase() !== 'basic') return { registrytoken: value, serveraddress };
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress };
}
