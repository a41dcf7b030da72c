/**
 * k6 when the machine has it, autocannon otherwise (issue 10). The choice carries its reason so
 * the run can say which generator produced the figures and what to do to get k6.
 */
import { resolve } from 'node:path';
import { findExecutable } from '../../tools/detect.ts';
import { loadRouteWithK6 } from './k6-load.ts';
import { AUTOCANNON_VERSION, loadRoute } from './route-load.ts';
import type { RouteLoad, RouteResult } from './route-load.ts';

export type LoadGeneratorChoice =
  { kind: 'k6'; path: string } | { kind: 'autocannon'; reason: string };

/** PRODSPRINT_K6 (a path, or a name looked up on PATH) wins over `k6` on PATH. */
export function chooseLoadGenerator(env: NodeJS.ProcessEnv = process.env): LoadGeneratorChoice {
  const fallback = `autocannon ${AUTOCANNON_VERSION} ran instead`;
  const configured = env.PRODSPRINT_K6?.trim();
  if (configured) {
    const path = configured.includes('/')
      ? findExecutable(resolve(configured), env)
      : findExecutable(configured, env);
    if (path) return { kind: 'k6', path };
    // Set but wrong is said as such: "not found on PATH" would send the user looking elsewhere.
    return {
      kind: 'autocannon',
      reason: `PRODSPRINT_K6 is ${configured}, which is not an executable k6; point it at the k6 binary (or unset it) to use k6 — ${fallback}`,
    };
  }
  const path = findExecutable('k6', env);
  if (path) return { kind: 'k6', path };
  return {
    kind: 'autocannon',
    reason: `k6 not found on PATH; install k6 from your internal mirror (or set PRODSPRINT_K6) to use it — ${fallback}`,
  };
}

/** Loads a route with the chosen generator; `workDir` only matters to k6 (script, summary). */
export function loadRouteWith(
  choice: LoadGeneratorChoice,
  load: RouteLoad & { workDir?: string },
): Promise<RouteResult> {
  if (choice.kind === 'k6') return loadRouteWithK6({ ...load, k6Path: choice.path });
  return loadRoute(load);
}
