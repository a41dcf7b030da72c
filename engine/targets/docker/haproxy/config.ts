/**
 * Renders the HAProxy configuration the docker target routes through (RECIPES.md, "HAProxy as
 * the traffic router"). Pure and deterministic (ARCHITECTURE.md invariant 7). Versions are not
 * in the file: the target adds them as dynamic servers through the runtime API, so deploying a
 * version never needs a reload.
 */

export interface HaproxyConfigInput {
  /** Unix socket of the runtime API (level admin). */
  adminSocket: string;
  /** Where clients connect. */
  frontend: { address: string; port: number };
  /** Where the built-in Prometheus exporter listens (/metrics). */
  exporter: { address: string; port: number };
  /** The backend whose servers are the deployed versions. */
  backend: string;
  /** Path of the app's health check. */
  healthPath: string;
  /**
   * `http` (default): `GET healthPath` must answer 2xx/3xx. `tcp`: the port accepting a
   * connection is enough, for services with no health route (engine/targets/health-check.ts).
   */
  healthCheck?: 'http' | 'tcp';
  /** Extra static servers, e.g. a version that predates the target. */
  servers?: Array<{ name: string; address: string; port: number; weight: number }>;
}

/** Options every server gets, static or added at run time, so both behave the same. */
export function serverOptions(): string {
  return 'check inter 500ms fall 2 rise 1';
}

export function renderHaproxyConfig(input: HaproxyConfigInput): string {
  for (const name of [input.backend, ...(input.servers ?? []).map((s) => s.name)]) {
    if (!isHaproxyName(name)) throw new Error(`not a valid HAProxy name: ${JSON.stringify(name)}`);
  }
  const servers = (input.servers ?? []).map(
    (s) => `    server ${s.name} ${s.address}:${s.port} weight ${s.weight} ${serverOptions()}`,
  );
  return [
    'global',
    `    stats socket ${input.adminSocket} mode 600 level admin`,
    '    # one thread keeps weighted round-robin exact at low weights (a 1% canary)',
    '    nbthread 1',
    '',
    'defaults',
    '    mode http',
    '    timeout connect 2s',
    '    timeout client 30s',
    '    timeout server 30s',
    // Without it a check must answer within `inter` (500 ms): a cold app, a check that reads its
    // database or a loaded machine then marks a healthy version down.
    '    timeout check 2s',
    '    # a request that fails to connect is retried on another server: a version that is',
    '    # draining or stopping never becomes a client-visible connection error',
    '    retries 3',
    '    option redispatch 1',
    '    retry-on conn-failure empty-response response-timeout',
    '',
    'frontend app',
    `    bind ${input.frontend.address}:${input.frontend.port}`,
    `    default_backend ${input.backend}`,
    '',
    `backend ${input.backend}`,
    '    balance roundrobin',
    ...(input.healthCheck === 'tcp'
      ? ['    # no health route: a server is up when its port accepts connections']
      : [`    option httpchk GET ${input.healthPath}`]),
    ...servers,
    '',
    'frontend exporter',
    `    bind ${input.exporter.address}:${input.exporter.port}`,
    '    http-request use-service prometheus-exporter if { path /metrics }',
    '',
  ].join('\n');
}

/** HAProxy identifiers: letters, digits, '-', '_', '.', ':'. */
export function isHaproxyName(name: string): boolean {
  return /^[A-Za-z0-9_.:-]+$/.test(name);
}
