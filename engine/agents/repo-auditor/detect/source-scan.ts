/**
 * Source scanning heuristics (documented in ../HEURISTICS.md): regular expressions over source
 * text for environment variable reads, listen ports, health routes and entry points. They are
 * deliberately conservative (uppercase env names, literal ports, health-like paths only inside
 * a routing call) because a wrong claim in the fingerprint is worse than a missing one.
 */
import { ev, matchesWithLines } from '../evidence.ts';
import type { Evidence } from '../fingerprint.ts';
import type { Ecosystem } from '../manifest.ts';

export interface SourceFacts {
  envVars: Array<{ name: string; evidence: Evidence }>;
  ports: Array<{ port: number; evidence: Evidence }>;
  healthRoutes: Array<{ path: string; evidence: Evidence }>;
  /** Python app objects (`app = FastAPI()`), Go `package main`, `__main__` blocks. */
  entries: Array<{ kind: string; symbol: string; file: string; evidence: Evidence }>;
}

const ENV_PATTERNS: Record<Ecosystem, RegExp[]> = {
  node: [
    /process\.env\.([A-Z_][A-Z0-9_]*)/g,
    /process\.env\[\s*['"`]([A-Z_][A-Z0-9_]*)['"`]\s*\]/g,
    /import\.meta\.env\.([A-Z_][A-Z0-9_]*)/g,
    /[cC]onfig(?:Service)?\.get(?:OrThrow)?(?:<[^>]*>)?\(\s*['"]([A-Z][A-Z0-9_]+)['"]/g,
  ],
  python: [
    /os\.environ\[\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\]/g,
    /os\.environ\.get\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]/g,
    /os\.getenv\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]/g,
    /\benv(?:\.\w+)?\(\s*['"]([A-Z][A-Z0-9_]+)['"]/g,
  ],
  go: [/os\.(?:Getenv|LookupEnv)\(\s*"([A-Za-z_][A-Za-z0-9_]*)"/g],
  jvm: [/System\.getenv\(\s*"([A-Za-z_][A-Za-z0-9_]*)"/g, /\$\{([A-Z][A-Z0-9_]*)(?::[^}]*)?\}/g],
};

const PORT_PATTERNS: Record<Ecosystem, RegExp[]> = {
  node: [
    /\.listen\(\s*(\d{2,5})\b/g,
    /process\.env\.PORT\s*(?:\|\||\?\?)\s*['"]?(\d{2,5})\b/g,
    /\bport\s*:\s*(\d{2,5})\b/gi,
    /\b(?:const|let|var)\s+port\s*=\s*(\d{2,5})\b/gi,
  ],
  python: [
    /\bport\s*=\s*(\d{2,5})\b/gi,
    /--port[= ](\d{2,5})\b/g,
    /(?:getenv|environ\.get)\(\s*['"]PORT['"]\s*,\s*['"]?(\d{2,5})/g,
    /runserver\s+(?:[\d.]+:)?(\d{2,5})\b/g,
  ],
  go: [
    /(?:ListenAndServe(?:TLS)?|\.Run|\.Start|\.Listen)\(\s*"[\w.-]*:(\d{2,5})"/g,
    /\bAddr\s*:\s*"[\w.-]*:(\d{2,5})"/g,
    /\bport\s*(?::=|=)\s*"(\d{2,5})"/gi,
  ],
  jvm: [/\bserver\.port\s*[=:]\s*(\d{2,5})\b/g],
};

const HEALTH_LITERAL =
  /['"`](\/?(?:api\/)?(?:v\d+\/)?(?:health|healthz|healthcheck|health-check|livez|readyz|livenessz?|readiness|ready|live|ping|status)(?:\/[\w-]+)?\/?)['"`]/g;
const ROUTE_CONTEXT =
  /\.(?:get|head|all|route|api_route|add_url_rule|HandleFunc|Handle|GET|Get|Any|HEAD|Head)\s*\(|@(?:Get|Controller|GetMapping|RequestMapping)\s*\(|@\w+\.(?:get|route|api_route)\s*\(|\b(?:path|re_path|url)\s*\(|\bmethod\s*:\s*['"]GET/;

const ENTRY_PATTERNS: Array<{ ecosystem: Ecosystem; kind: string; regex: RegExp }> = [
  { ecosystem: 'python', kind: 'fastapi-app', regex: /^(\w+)\s*=\s*FastAPI\(/gm },
  { ecosystem: 'python', kind: 'flask-app', regex: /^(\w+)\s*=\s*Flask\(/gm },
  { ecosystem: 'python', kind: 'celery-app', regex: /^(\w+)\s*=\s*Celery\(/gm },
  {
    ecosystem: 'python',
    kind: 'python-main',
    regex: /^if\s+__name__\s*==\s*['"]__main__['"]\s*:/gm,
  },
  { ecosystem: 'go', kind: 'go-main', regex: /^func\s+main\s*\(\s*\)/gm },
  { ecosystem: 'go', kind: 'net-http', regex: /\bhttp\.ListenAndServe(?:TLS)?\(/g },
  { ecosystem: 'jvm', kind: 'spring-boot-app', regex: /@SpringBootApplication\b/g },
];

export function scanSource(file: string, text: string, ecosystem: Ecosystem): SourceFacts {
  const facts: SourceFacts = { envVars: [], ports: [], healthRoutes: [], entries: [] };
  for (const regex of ENV_PATTERNS[ecosystem]) {
    for (const { match, line } of matchesWithLines(text, regex))
      facts.envVars.push({ name: match[1] ?? '', evidence: ev(file, line) });
  }
  for (const regex of PORT_PATTERNS[ecosystem]) {
    for (const { match, line } of matchesWithLines(text, regex)) {
      const port = Number(match[1]);
      if (port > 0 && port < 65536) facts.ports.push({ port, evidence: ev(file, line) });
    }
  }
  if (ecosystem !== 'go' || /^package\s+main\b/m.test(text)) {
    for (const entry of ENTRY_PATTERNS) {
      if (entry.ecosystem !== ecosystem) continue;
      for (const { match, line } of matchesWithLines(text, entry.regex)) {
        facts.entries.push({
          kind: entry.kind,
          symbol: match[1] ?? '',
          file,
          evidence: ev(file, line),
        });
      }
    }
  }
  const lines = text.split('\n');
  for (const { match, line } of matchesWithLines(text, HEALTH_LITERAL)) {
    if (!ROUTE_CONTEXT.test(lines[line - 1] ?? '')) continue;
    facts.healthRoutes.push({ path: normalizeRoute(match[1] ?? ''), evidence: ev(file, line) });
  }
  return facts;
}

export function normalizeRoute(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

const HEALTH_RANK = ['health', 'healthz', 'livez', 'readyz', 'ready', 'live', 'ping', 'status'];

/** The most specific health route: /health* first, then liveness/readiness, ping, status. */
export function healthRank(path: string): number {
  const last = path.split('/').filter(Boolean);
  const index = last.findIndex((part) => HEALTH_RANK.some((word) => part.startsWith(word)));
  const word = index < 0 ? undefined : last[index];
  const rank =
    word === undefined ? -1 : HEALTH_RANK.findIndex((candidate) => word.startsWith(candidate));
  return rank < 0 ? HEALTH_RANK.length : rank;
}

const SOURCE_EXTENSIONS: Record<Ecosystem, RegExp> = {
  node: /\.(?:[cm]?[jt]s|[jt]sx)$/,
  python: /\.py$/,
  go: /\.go$/,
  jvm: /\.(?:java|kt)$/,
};

const TEST_FILE: Record<Ecosystem, RegExp> = {
  node: /\.(?:test|spec)\.[cm]?[jt]sx?$|(?:^|\/)(?:__tests__|tests?|e2e)\//,
  python: /(?:^|\/)test_[^/]*\.py$|_test\.py$|(?:^|\/)tests?\/|(?:^|\/)(?:conftest|tests)\.py$/,
  go: /_test\.go$/,
  jvm: /(?:^|\/)src\/test\//,
};

export function isSourceFile(path: string, ecosystem: Ecosystem): boolean {
  return SOURCE_EXTENSIONS[ecosystem].test(path) && !path.endsWith('.d.ts');
}

export function isTestFile(path: string, ecosystem: Ecosystem): boolean {
  return TEST_FILE[ecosystem].test(path);
}

const ENTRY_NAMES =
  /(?:^|\/)(?:main|index|app|server|application|manage|settings|config|wsgi|asgi|routes?|router|health\w*|api|urls|views|cmd)(?:\.\w+)+$|Application\.(?:java|kt)$/i;

/** Orders candidate files so the budget is spent on entry points and shallow files first. */
export function scanPriority(paths: string[]): string[] {
  // Scores computed once per path, not per comparison: this runs on every source file.
  const scored = paths.map((path) => {
    let depth = 1;
    for (let at = path.indexOf('/'); at !== -1; at = path.indexOf('/', at + 1)) depth += 1;
    return { path, score: (ENTRY_NAMES.test(path) ? 0 : 1000) + depth };
  });
  scored.sort((a, b) => a.score - b.score || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return scored.map((item) => item.path);
}
