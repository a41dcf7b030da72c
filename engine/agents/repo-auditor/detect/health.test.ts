import { describe, expect, it } from 'vitest';
import { auditTree } from '../audit.ts';
import type { Service } from '../fingerprint.ts';
import { MemoryTreeReader } from '../tree-reader.ts';
import { nextRoute } from './health.ts';

async function health(
  files: Record<string, string>,
  path = '.',
): Promise<Service['healthEndpoint']> {
  const fingerprint = await auditTree(new MemoryTreeReader(files));
  return fingerprint.services.find((service) => service.path === path)?.healthEndpoint ?? null;
}

const EXPRESS =
  '{ "name": "web", "scripts": { "start": "node server.js" }, "dependencies": { "express": "4" } }\n';

describe('health endpoint sources', () => {
  it('given Nest routes under setGlobalPrefix, when the prefix excludes health, then the route stays unprefixed', async () => {
    const nest = (prefix: string) => ({
      'package.json': '{ "name": "n", "dependencies": { "@nestjs/core": "10" } }\n',
      'src/main.ts': `const app = await NestFactory.create(AppModule);\n${prefix}\nawait app.listen(3000);\n`,
      'src/health.controller.ts': "@Controller('health')\nexport class HealthController {}\n",
    });
    expect((await health(nest("app.setGlobalPrefix('api');")))?.value).toBe('/api/health');
    expect(
      (await health(nest("app.setGlobalPrefix('api', { exclude: ['health'] });")))?.value,
    ).toBe('/health');
  });

  it('given django-health-check wired in an app urls module, when the root URLconf includes it, then the prefix is added', async () => {
    const found = await health({
      'requirements.txt': 'Django==5.0\ndjango-health-check==3.18\n',
      'manage.py': 'import os\n',
      'site/settings.py': 'ROOT_URLCONF = "site.urls"\nINSTALLED_APPS = ["health_check"]\n',
      'site/urls.py':
        'from django.urls import include, path\nurlpatterns = [\n    path("ops/", include("ops.urls")),\n]\n',
      'ops/urls.py':
        'from django.urls import include, path\nurlpatterns = [\n    path(\n        "ht/",\n        include("health_check.urls"),\n    ),\n]\n',
    });
    expect(found).toEqual({
      value: '/ops/ht/',
      evidence: [
        { file: 'ops/urls.py', line: 5 },
        { file: 'site/urls.py', line: 3 },
      ],
    });
  });

  it('given a Django route in a module nobody includes, when a root URLconf is declared, then no path is claimed', async () => {
    const found = await health({
      'requirements.txt': 'Django==5.0\n',
      'manage.py': 'import os\n',
      'site/settings.py': "ROOT_URLCONF = 'site.urls'\n",
      'site/urls.py': 'urlpatterns = []\n',
      'lost/urls.py': 'urlpatterns = [path("health/", view)]\n',
    });
    expect(found).toBeNull();
  });

  it('given Flask-Healthz without a ready check, when registered, then the live check is the endpoint', async () => {
    const found = await health({
      'requirements.txt': 'flask\nflask-healthz\n',
      'app.py':
        'from flask import Flask\nfrom flask_healthz import Healthz\napp = Flask(__name__)\napp.config["HEALTHZ"] = {\n    "live": lambda: None,\n}\nHealthz(app, no_log=True)\n',
    });
    expect(found).toEqual({
      value: '/healthz/live',
      evidence: [
        { file: 'app.py', line: 7 },
        { file: 'app.py', line: 5 },
      ],
    });
  });

  it('given Next.js route handlers in route groups and API index pages, when mapped, then groups and index are not in the path', () => {
    expect(nextRoute('app/(ops)/api/healthz/route.ts')).toBe('/api/healthz');
    expect(nextRoute('src/pages/api/health/index.ts')).toBe('/api/health');
    expect(nextRoute('pages/status.tsx')).toBeUndefined();
    expect(nextRoute('app/api/[id]/route.ts')).toBeUndefined();
  });

  it('given a compose healthcheck calling wget without a scheme, when read, then its path is the endpoint', async () => {
    const found = await health({
      'package.json': EXPRESS,
      'server.js': "require('express')().listen(8080);\n",
      'compose.yaml':
        'services:\n  web:\n    build: .\n    healthcheck:\n      test: ["CMD", "wget", "-qO-", "localhost:8080/readyz"]\n',
    });
    expect(found).toEqual({ value: '/readyz', evidence: [{ file: 'compose.yaml', line: 4 }] });
  });

  it('given only gRPC probes or probes of another image, when matched, then nothing is claimed', async () => {
    const found = await health({
      'package.json': EXPRESS,
      'server.js': "require('express')().listen(8080);\n",
      'k8s/web.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: web\n          readinessProbe:\n            grpc:\n              port: 8080\n',
      'k8s/other.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: other\nspec:\n  template:\n    spec:\n      containers:\n        - name: other\n          image: other\n          readinessProbe:\n            httpGet:\n              path: /other-health\n',
    });
    expect(found).toBeNull();
  });

  it('given a literal probe in the Helm chart named after the service, when nothing else says, then it is the endpoint', async () => {
    const found = await health({
      'package.json': EXPRESS,
      'server.js': "require('express')().listen(8080);\n",
      'deploy/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'deploy/web/templates/deployment.yaml':
        'spec:\n  template:\n    spec:\n      containers:\n        - name: {{ .Chart.Name }}\n          livenessProbe:\n            httpGet:\n              path: /livez\n',
    });
    expect(found).toEqual({
      value: '/livez',
      evidence: [{ file: 'deploy/web/templates/deployment.yaml', line: 8 }],
    });
  });

  it('given health-like literals in FormData reads, bundles and minified lines, when scanned, then none is a route', async () => {
    const found = await health({
      'package.json': EXPRESS,
      'server.js': `const app = require('express')();\nconst s = form.get('status');\napp.listen(3000); ${' '.repeat(600)} app.get('/ping', h);\n`,
      'public/js/app.bundle.js': "router.get('/health', h);\n",
      'src/generated/routes.js': "app.get('/healthz', h);\n",
      'src/api.js': "// Code generated by routegen. DO NOT EDIT.\napp.get('/readyz', h);\n",
    });
    expect(found).toBeNull();
  });
});
