import { describe, expect, it } from 'vitest';
import { healthRank, isTestFile, scanPriority, scanSource } from './source-scan.ts';

describe('scanSource', () => {
  it('finds env reads, ports and health routes in Node code', () => {
    const facts = scanSource(
      'src/app.ts',
      "const url = process.env.DATABASE_URL;\nconst k = process.env['API_KEY'];\nconst lower = process.env.npm_config_x;\nrouter.get('/healthz', h);\nconst label = '/health';\napp.listen(process.env.PORT ?? 8080);\n",
      'node',
    );
    expect(facts.envVars.map((item) => `${item.name}:${item.evidence.line}`)).toEqual([
      'DATABASE_URL:1',
      'PORT:6',
      'API_KEY:2',
    ]);
    expect(facts.ports).toEqual([{ port: 8080, evidence: { file: 'src/app.ts', line: 6 } }]);
    // A health-like string outside a routing call is not a route.
    expect(facts.healthRoutes).toEqual([
      { path: '/healthz', evidence: { file: 'src/app.ts', line: 4 } },
    ]);
  });

  it('given client ports (Redis, a mailer), when scanned, then they are not listen ports; chained env fallbacks are', () => {
    const python = scanSource(
      'app.py',
      "redis = Redis(host='redis', port=6379)\napp.run(host='0.0.0.0', port=8000)\n",
      'python',
    );
    expect(python.ports.map((item) => item.port)).toEqual([8000]);
    const node = scanSource(
      'app.js',
      "const mail = { port: 465 };\napp.set('port', process.env.PORT || process.env.ALT_PORT || 8080);\n",
      'node',
    );
    expect(node.ports).toEqual([{ port: 8080, evidence: { file: 'app.js', line: 2 } }]);
  });

  it('finds Python app objects, env reads and routes', () => {
    const facts = scanSource(
      'svc/api.py',
      'import os\napp = FastAPI()\nDB = os.getenv("DB_URL")\n\n@app.get("/readyz")\ndef r():\n    pass\n',
      'python',
    );
    expect(facts.entries).toEqual([
      {
        kind: 'fastapi-app',
        symbol: 'app',
        file: 'svc/api.py',
        evidence: { file: 'svc/api.py', line: 2 },
      },
    ]);
    expect(facts.envVars[0]).toEqual({ name: 'DB_URL', evidence: { file: 'svc/api.py', line: 3 } });
    expect(facts.healthRoutes[0]?.path).toBe('/readyz');
  });

  it('only takes Go entry points from package main', () => {
    expect(scanSource('lib/x.go', 'package lib\nfunc main() {}\n', 'go').entries).toEqual([]);
    const main = scanSource(
      'main.go',
      'package main\nfunc main() {\n\thttp.ListenAndServe(":9000", nil)\n}\n',
      'go',
    );
    expect(main.entries.map((entry) => entry.kind)).toEqual(['go-main', 'net-http']);
    expect(main.ports[0]?.port).toBe(9000);
  });

  it('ignores out-of-range ports', () => {
    expect(scanSource('a.js', 'app.listen(99999);\n', 'node').ports).toEqual([]);
  });
});

describe('helpers', () => {
  it('ranks /health before readiness, ping and status', () => {
    const sorted = ['/status', '/ping', '/readyz', '/api/health'].sort(
      (a, b) => healthRank(a) - healthRank(b),
    );
    expect(sorted).toEqual(['/api/health', '/readyz', '/ping', '/status']);
  });

  it('recognises test files per ecosystem', () => {
    expect(isTestFile('src/a.spec.ts', 'node')).toBe(true);
    expect(isTestFile('src/a.ts', 'node')).toBe(false);
    expect(isTestFile('polls/tests.py', 'python')).toBe(true);
    expect(isTestFile('x_test.go', 'go')).toBe(true);
    expect(isTestFile('src/test/java/A.java', 'jvm')).toBe(true);
  });

  it('scans entry points and shallow files first', () => {
    expect(scanPriority(['src/deep/util.ts', 'src/zz.ts', 'src/deep/main.ts'])).toEqual([
      'src/deep/main.ts',
      'src/zz.ts',
      'src/deep/util.ts',
    ]);
  });
});
