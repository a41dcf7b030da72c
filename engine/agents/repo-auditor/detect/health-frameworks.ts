/**
 * Health endpoints that health libraries register, read per source file (the health detector
 * puts the pieces together, see health.ts):
 *  - NestJS Terminus: a `@HealthCheck()` handler; its route is the `@Controller` path plus the
 *    `@Get` path, under the app's `setGlobalPrefix` unless the prefix excludes it.
 *    https://docs.nestjs.com/recipes/terminus
 *  - Flask-Healthz: the `healthz` blueprint (or the `Healthz` extension, default prefix
 *    `/healthz`) serves `<prefix>/<name>` for each name in the `HEALTHZ` setting (others 404):
 *    `ready`, then `live`. https://github.com/fedora-infra/flask-healthz
 *  - django-health-check: the route a urls.py gives `include('health_check.urls')` (3.x) or
 *    `HealthCheckView.as_view()` (4.x); the docs use `ht/`. When that urls module is included
 *    from the root URLconf under a prefix, the prefix is added.
 *    https://github.com/codingjoe/django-health-check
 * Only literal paths count; nothing here guesses a path the code does not write.
 */
import { ev, lineAt } from '../evidence.ts';
import type { Evidence } from '../fingerprint.ts';
import type { Ecosystem } from '../manifest.ts';

export interface FrameworkHealthFacts {
  nestPrefixes: Array<{ prefix: string; call: string; evidence: Evidence }>;
  terminus: Array<{ path: string; evidence: Evidence[] }>;
  healthzPrefixes: Array<{ prefix: string; evidence: Evidence }>;
  healthzChecks: Array<{ name: string; evidence: Evidence }>;
  djangoHealth: Array<{ route: string; file: string; evidence: Evidence }>;
  djangoIncludes: Array<{ route: string; module: string; evidence: Evidence }>;
  rootUrlconf: Array<{ module: string; evidence: Evidence }>;
}

export function emptyFrameworkHealth(): FrameworkHealthFacts {
  return {
    nestPrefixes: [],
    terminus: [],
    healthzPrefixes: [],
    healthzChecks: [],
    djangoHealth: [],
    djangoIncludes: [],
    rootUrlconf: [],
  };
}

export function scanFrameworkHealth(
  file: string,
  text: string,
  ecosystem: Ecosystem,
  facts: FrameworkHealthFacts,
): void {
  if (ecosystem === 'node') {
    scanNest(file, text, facts);
  } else if (ecosystem === 'python') {
    if (text.includes('flask_healthz') || text.includes('HEALTHZ'))
      scanFlaskHealthz(file, text, facts);
    scanDjango(file, text, facts);
  }
}

const LITERAL = /^\s*['"`]([^'"`\n]*)['"`]/;

function scanNest(file: string, text: string, facts: FrameworkHealthFacts): void {
  for (const match of text.matchAll(/\.setGlobalPrefix\(\s*['"`]([^'"`\n]+)['"`]/g)) {
    const call = text.slice(match.index, match.index + 300).split(/\)\s*;/)[0] ?? '';
    facts.nestPrefixes.push({
      prefix: match[1] ?? '',
      call,
      evidence: ev(file, lineAt(text, match.index)),
    });
  }
  if (!text.includes('@HealthCheck(')) return;
  const lines = text.split('\n');
  const controllerIndex = lines.findIndex((line) => line.includes('@Controller('));
  const controllerLine = lines[controllerIndex] ?? '';
  const controller = decoratorPath(controllerLine, '@Controller(');
  if (controllerIndex < 0 || controller === undefined) return;
  lines.forEach((line, index) => {
    if (!line.includes('@HealthCheck(')) return;
    const near = [index - 1, index + 1, index - 2, index + 2, index - 3, index + 3];
    const getIndex = near.find((at) => (lines[at] ?? '').includes('@Get('));
    const get = getIndex === undefined ? undefined : decoratorPath(lines[getIndex] ?? '', '@Get(');
    if (get === undefined) return;
    const path = `/${[controller, get].filter(Boolean).join('/')}`.replace(/\/{2,}/g, '/');
    facts.terminus.push({
      path: path.length > 1 ? path.replace(/\/$/, '') : path,
      evidence: [ev(file, index + 1), ev(file, controllerIndex + 1)],
    });
  });
}

/** The path of `@Controller('x')`, `@Controller({ path: 'x' })`, `@Get()` (''), or undefined. */
function decoratorPath(line: string, decorator: string): string | undefined {
  const rest = line.slice(line.indexOf(decorator) + decorator.length);
  if (/^\s*\)/.test(rest)) return '';
  const literal = LITERAL.exec(rest) ?? /^\s*\{\s*path\s*:\s*['"`]([^'"`\n]*)['"`]/.exec(rest);
  return literal ? (literal[1] ?? '').replace(/^\/+|\/+$/g, '') : undefined;
}

function scanFlaskHealthz(file: string, text: string, facts: FrameworkHealthFacts): void {
  for (const match of text.matchAll(/register_blueprint\(\s*healthz\b([^)\n]*)\)/g)) {
    const prefix = /url_prefix\s*=\s*['"]([^'"]*)['"]/.exec(match[1] ?? '');
    facts.healthzPrefixes.push({
      prefix: prefix?.[1] ?? '',
      evidence: ev(file, lineAt(text, match.index)),
    });
  }
  if (text.includes('flask_healthz')) {
    for (const match of text.matchAll(/\bHealthz\(([^)\n]*)\)/g)) {
      const prefix = /prefix\s*=\s*['"]([^'"]*)['"]/.exec(match[1] ?? '');
      facts.healthzPrefixes.push({
        prefix: prefix?.[1] ?? '/healthz',
        evidence: ev(file, lineAt(text, match.index)),
      });
    }
  }
  const config = text.search(/\bHEALTHZ\b['"]?\s*\]?\s*=\s*(?:\{|dict\()/);
  if (config < 0) return;
  const body = text.slice(config, config + 1000);
  const end = body.indexOf('}') < 0 ? body.length : body.indexOf('}');
  for (const match of body.slice(0, end).matchAll(/['"](live|ready)['"]\s*:|\b(live|ready)\s*=/g)) {
    facts.healthzChecks.push({
      name: match[1] ?? match[2] ?? '',
      evidence: ev(file, lineAt(text, config + match.index)),
    });
  }
}

const URL_CALL = /\b(?:re_path|path|url)\(\s*r?['"]([^'"\n]*)['"]/g;

function scanDjango(file: string, text: string, facts: FrameworkHealthFacts): void {
  const root = /^ROOT_URLCONF\s*=\s*['"]([\w.]+)['"]/m.exec(text);
  if (root)
    facts.rootUrlconf.push({ module: root[1] ?? '', evidence: ev(file, lineAt(text, root.index)) });
  if (!/\b(?:re_path|path|url)\(/.test(text)) return;
  for (const match of text.matchAll(
    /include\(\s*['"]health_check\.urls['"]|HealthCheckView\.as_view\(/g,
  )) {
    const before = text.slice(Math.max(0, match.index - 300), match.index);
    const calls = [...before.matchAll(URL_CALL)];
    const call = calls.at(-1);
    if (!call) continue;
    facts.djangoHealth.push({
      route: djangoRoute(call[1] ?? ''),
      file,
      evidence: ev(file, lineAt(text, match.index)),
    });
  }
  for (const match of text.matchAll(
    /\b(?:re_path|path|url)\(\s*r?['"]([^'"\n]*)['"]\s*,\s*include\(\s*['"]([\w.]+)['"]/g,
  )) {
    facts.djangoIncludes.push({
      route: djangoRoute(match[1] ?? ''),
      module: match[2] ?? '',
      evidence: ev(file, lineAt(text, match.index)),
    });
  }
}

/** A Django route as a URL path: regex anchors dropped, the trailing slash kept (APPEND_SLASH). */
export function djangoRoute(route: string): string {
  const path = route.replace(/^\^/, '').replace(/\$$/, '').replace(/^\/+/, '');
  return `/${path}`;
}
