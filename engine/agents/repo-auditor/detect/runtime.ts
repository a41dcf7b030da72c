/**
 * How a service runs: port, start command and environment variables, merged from (in order of
 * trust) what the code does, its config, its Dockerfile, compose, and last the framework's
 * documented default (evidence: the framework dependency). The health endpoint is health.ts's.
 * See HEURISTICS.md.
 */
import { claimOf, dirOf, ev, relativeTo } from '../evidence.ts';
import type { Claim, Evidence } from '../fingerprint.ts';
import type { ProjectManifest } from '../manifest.ts';
import type { ComposeServiceDetail } from '../parsers/compose.ts';
import { startCommandOf } from '../parsers/dockerfile.ts';
import type { DockerStage } from '../parsers/dockerfile.ts';
import { imageName } from '../parsers/k8s-probes.ts';
import type { SourceFacts } from './source-scan.ts';

/** Documented default ports, used only when nothing in the repository says otherwise. */
const FRAMEWORK_DEFAULT_PORTS: Record<string, number> = {
  nextjs: 3000,
  'spring-boot': 8080,
  django: 8000,
  fastapi: 8000,
  flask: 5000,
};

export interface RuntimeInputs {
  manifest: ProjectManifest;
  framework: Claim<string> | null;
  packageManager: Claim<string>;
  dockerfile: { path: string; stage: DockerStage } | null;
  compose: ComposeServiceDetail[];
  facts: SourceFacts;
  /** Ports from config files (Spring server.port). */
  configPorts: Array<{ port: number; evidence: Evidence }>;
  procfile: { command: string; evidence: Evidence } | null;
  ownFiles: readonly string[];
}

export function detectPort(input: RuntimeInputs): Claim<number> | null {
  const served = staticServerPort(input.dockerfile);
  if (served) return served;
  const code = input.facts.ports[0] ?? input.configPorts[0];
  if (code) return claimOf(code.port, code.evidence);
  const exposed = input.dockerfile?.stage.exposes[0];
  if (exposed && input.dockerfile)
    return claimOf(exposed.port, ev(input.dockerfile.path, exposed.line));
  const command = commandPort(input);
  if (command) return command;
  const composed = input.compose.find((service) => service.ports.length > 0);
  if (composed) return claimOf(composed.ports[0] ?? 0, ...composed.evidence);
  const proxied = input.compose.find((service) => service.proxyPort)?.proxyPort;
  if (proxied) return claimOf(proxied.port, proxied.evidence);
  const fallback = input.framework ? FRAMEWORK_DEFAULT_PORTS[input.framework.value] : undefined;
  if (fallback && input.framework) return claimOf(fallback, ...input.framework.evidence);
  return null;
}

/** Web server images that serve the built files on a documented port when no command is set. */
const STATIC_SERVER_PORTS: Record<string, number> = { nginx: 80, httpd: 80, caddy: 80 };

/**
 * A stage built on nginx/httpd/caddy that sets no command of its own serves files (a built
 * frontend): the app's code does not run in it, so the port is the stage's EXPOSE, else the
 * server image's documented port, not the dev server's port the code or compose names.
 */
function staticServerPort(dockerfile: RuntimeInputs['dockerfile']): Claim<number> | null {
  if (!dockerfile) return null;
  const { path, stage } = dockerfile;
  const port = STATIC_SERVER_PORTS[imageName(stage.baseImage)];
  if (port === undefined || stage.cmd || stage.entrypoint) return null;
  const exposed = stage.exposes[0];
  return exposed
    ? claimOf(exposed.port, ev(path, exposed.line))
    : claimOf(port, ev(path, stage.line));
}

const COMMAND_PORT =
  /(?:--bind[= ]|-b\s+)[\w.-]*:(\d{2,5})\b|--port[= ](\d{2,5})\b|\s(?:-p|--port)\s+(\d{2,5})\b|runserver\s+(?:[\w.-]+:)?(\d{2,5})\b/;

/** A port passed on the command line that starts the service (Dockerfile CMD, Procfile). */
function commandPort(input: RuntimeInputs): Claim<number> | null {
  const start = detectStartCommand(input);
  // `npm start` says nothing; the script it runs (`next start -p 3001`) does.
  const script = input.manifest.scripts.get('start');
  const candidates = [
    start ? { text: start.value, evidence: start.evidence } : undefined,
    script ? { text: script.command, evidence: [script.evidence] } : undefined,
  ];
  for (const candidate of candidates) {
    const match = candidate ? COMMAND_PORT.exec(candidate.text) : null;
    const port = match ? Number(match.slice(1).find((group) => group !== undefined)) : Number.NaN;
    if (candidate && port > 0 && port < 65536) return claimOf(port, ...candidate.evidence);
  }
  return null;
}

export function detectStartCommand(input: RuntimeInputs): Claim<string> | null {
  if (input.dockerfile) {
    const command = startCommandOf(input.dockerfile.stage);
    if (command) return claimOf(command.command, ev(input.dockerfile.path, command.line));
  }
  if (input.procfile) return claimOf(input.procfile.command, input.procfile.evidence);
  const { manifest } = input;
  switch (manifest.ecosystem) {
    case 'node': {
      const start = manifest.scripts.get('start');
      return start ? claimOf(`${input.packageManager.value} start`, start.evidence) : null;
    }
    case 'python':
      return pythonStart(input);
    case 'go': {
      const main = input.facts.entries.find((entry) => entry.kind === 'go-main');
      if (!main) return null;
      const dir = relativeTo(manifest.dir, dirOf(main.file));
      return claimOf(dir === '.' ? 'go run .' : `go run ./${dir}`, main.evidence);
    }
    case 'jvm': {
      if (!input.framework) return null;
      const gradle = input.packageManager.value === 'gradle';
      const wrapper = input.ownFiles.some(
        (file) => dirOf(file) === manifest.dir && /\/?(?:mvnw|gradlew)$/.test(file),
      );
      const tool = gradle ? (wrapper ? './gradlew' : 'gradle') : wrapper ? './mvnw' : 'mvn';
      return claimOf(
        gradle ? `${tool} bootRun` : `${tool} spring-boot:run`,
        ...input.framework.evidence,
      );
    }
  }
}

function pythonStart(input: RuntimeInputs): Claim<string> | null {
  const module = (file: string) =>
    relativeTo(input.manifest.dir, file).replace(/\.py$/, '').replace(/\//g, '.');
  const byKind = (kind: string) => input.facts.entries.find((entry) => entry.kind === kind);
  const manage = input.ownFiles.find(
    (file) =>
      file === (input.manifest.dir === '.' ? 'manage.py' : `${input.manifest.dir}/manage.py`),
  );
  const fastapi = byKind('fastapi-app');
  const flask = byKind('flask-app');
  const celery = byKind('celery-app');
  const framework = input.framework?.value;
  if (framework === 'django' && manage)
    return claimOf('python manage.py runserver 0.0.0.0:8000', ev(manage));
  if (framework === 'fastapi' && fastapi)
    return claimOf(`uvicorn ${module(fastapi.file)}:${fastapi.symbol}`, fastapi.evidence);
  if (framework === 'flask' && flask)
    return claimOf(`flask --app ${module(flask.file)}:${flask.symbol} run`, flask.evidence);
  if (framework === 'celery' && celery)
    return claimOf(`celery -A ${module(celery.file)} worker`, celery.evidence);
  const main = byKind('python-main');
  return main
    ? claimOf(`python ${relativeTo(input.manifest.dir, main.file)}`, main.evidence)
    : null;
}

const MAX_EVIDENCE_PER_VAR = 5;

export function detectEnvVars(
  input: RuntimeInputs,
  documented: Array<{ name: string; evidence: Evidence }>,
): Array<Claim<string>> {
  const byName = new Map<string, Evidence[]>();
  const add = (name: string, evidence: Evidence) => {
    const list = byName.get(name) ?? [];
    if (
      list.length < MAX_EVIDENCE_PER_VAR &&
      !list.some((item) => item.file === evidence.file && item.line === evidence.line)
    )
      list.push(evidence);
    byName.set(name, list);
  };
  for (const item of input.facts.envVars) add(item.name, item.evidence);
  for (const item of documented) add(item.name, item.evidence);
  for (const item of input.dockerfile?.stage.env ?? [])
    if (input.dockerfile) add(item.name, ev(input.dockerfile.path, item.line));
  for (const service of input.compose)
    for (const item of service.env) add(item.name, item.evidence);
  return [...byName]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, evidence]) => claimOf(name, ...evidence));
}
