/**
 * One Terraform root module checked offline by the real binary (issue 15): `terraform init
 * -plugin-dir` from the provider mirror only, `validate -json`, and, when asked, `plan -out` plus
 * `show -json` of new resources against an empty local state. Everything happens in a private
 * temporary directory (working copy, TF_DATA_DIR, plugin cache, an empty CLI config, HOME) that
 * is removed afterwards; the environment holds no credential and routes any stray request to a
 * dead loopback proxy, so nothing leaves the machine. The stack's own file is written unchanged;
 * what a check needs on top (local state instead of the http backend, the provider's
 * skip-validation settings, placeholder variable values) goes into Terraform override files.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTerraform, type TerraformResult } from './terraform-process.ts';

export interface StackCheckRequest {
  binary: string;
  /** The provider mirror (`-plugin-dir`); the check refuses to start without one. */
  pluginDir: string;
  /** The stack's Terraform JSON, exactly as the plan artifact holds it. */
  content: string;
  /** Merged over the stack for the check only (`prodsprint_override.tf.json`). */
  override: Record<string, unknown>;
  /** Values for variables without a default, so `plan -input=false` can run. */
  variables: Record<string, string>;
  plan: boolean;
  /** Text the caller reports instead of the temporary directory's path. */
  displayPath: string;
  timeoutMs?: number;
}

export interface Diagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail: string;
  /** `cdk.tf.json:12` when Terraform named a place. */
  at?: string;
}

export interface StackCheckResult {
  init: { ok: boolean; diagnostics: Diagnostic[] };
  /** `.terraform.lock.hcl` as init wrote it: the mirror's providers pinned by hash. */
  lockFile?: string;
  validate?: { valid: boolean; diagnostics: Diagnostic[] };
  plan?: { ok: boolean; diagnostics: Diagnostic[]; json?: unknown };
}

const STACK_FILE = 'cdk.tf.json';
const DEFAULT_TIMEOUT_MS = 5 * 60_000;

interface JsonDiagnostic {
  severity?: string;
  summary?: string;
  detail?: string;
  range?: { filename?: string; start?: { line?: number } };
}

function fromJson(d: JsonDiagnostic): Diagnostic {
  return {
    severity: d.severity === 'warning' ? 'warning' : 'error',
    summary: d.summary ?? '',
    detail: d.detail ?? '',
    ...(d.range?.filename ? { at: `${d.range.filename}:${d.range.start?.line ?? 0}` } : {}),
  };
}

/** Human output of a failed command as diagnostics: its "Error:" and "Warning:" blocks. */
function fromText(text: string): Diagnostic[] {
  const lines = text
    .split('\n')
    .map((line) => line.replace(/^[│╷╵]\s?/u, '').trimEnd())
    .filter((line) => line.trim() !== '');
  const out: Diagnostic[] = [];
  for (const line of lines) {
    const head = /^(Error|Warning): (.*)$/.exec(line);
    if (head) {
      out.push({
        severity: head[1] === 'Error' ? 'error' : 'warning',
        summary: head[2]!,
        detail: '',
      });
    } else if (out.length > 0) {
      const last = out[out.length - 1]!;
      last.detail = last.detail ? `${last.detail} ${line.trim()}` : line.trim();
    }
  }
  return out.length > 0 || lines.length === 0
    ? out
    : [{ severity: 'error', summary: lines.slice(-3).join(' '), detail: '' }];
}

/** `plan -json` streams one JSON object per line; diagnostics are `type: diagnostic`. */
function streamedDiagnostics(stdout: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const message = JSON.parse(line) as { type?: string; diagnostic?: JsonDiagnostic };
      if (message.type === 'diagnostic' && message.diagnostic)
        out.push(fromJson(message.diagnostic));
    } catch {
      // Not a message line.
    }
  }
  return out;
}

/** An environment with nothing of the caller's in it. */
function isolatedEnv(root: string): Record<string, string> {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: join(root, 'home'),
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    TF_DATA_DIR: join(root, 'data'),
    TF_PLUGIN_CACHE_DIR: join(root, 'plugin-cache'),
    TF_CLI_CONFIG_FILE: join(root, 'terraformrc'),
    // Plugin sockets go here too, and go away with the rest.
    TMPDIR: root,
    AWS_EC2_METADATA_DISABLED: 'true',
    // Nothing here should reach a network; if something tries, it meets a closed port.
    HTTP_PROXY: 'http://127.0.0.1:9',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    NO_PROXY: '',
  };
}

/** init → validate → (plan → show) for one stack; stops at the first step that fails. */
export async function checkStack(request: StackCheckRequest): Promise<StackCheckResult> {
  if (!request.pluginDir)
    throw new Error('a Terraform check needs a provider mirror (-plugin-dir)');
  const root = await mkdtemp(join(tmpdir(), 'prodsprint-tf-'));
  const work = join(root, 'work');
  const clean = (text: string) => text.split(work).join(request.displayPath);
  const cleanAll = (list: Diagnostic[]) =>
    list.map((d) => ({ ...d, summary: clean(d.summary), detail: clean(d.detail) }));
  try {
    await Promise.all(
      ['work', 'home', 'data', 'plugin-cache'].map((d) =>
        mkdir(join(root, d), { recursive: true }),
      ),
    );
    await writeFile(join(root, 'terraformrc'), 'disable_checkpoint = true\n');
    await writeFile(join(work, STACK_FILE), request.content);
    await writeFile(join(work, 'prodsprint_override.tf.json'), JSON.stringify(request.override));
    if (request.plan && Object.keys(request.variables).length > 0) {
      await writeFile(join(work, 'prodsprint.auto.tfvars.json'), JSON.stringify(request.variables));
    }
    const env = isolatedEnv(root);
    const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const run = (args: string[]): Promise<TerraformResult> =>
      runTerraform({ binary: request.binary, args, cwd: work, env, timeoutMs });
    const timedOut = (step: string): Diagnostic[] => [
      {
        severity: 'error',
        summary: `terraform ${step} did not finish in ${timeoutMs / 1000} s`,
        detail: '',
      },
    ];

    const init = await run([
      'init',
      '-input=false',
      '-no-color',
      `-plugin-dir=${request.pluginDir}`,
    ]);
    if (init.code !== 0) {
      return {
        init: {
          ok: false,
          diagnostics: cleanAll(
            init.timedOut ? timedOut('init') : fromText(init.stderr || init.stdout),
          ),
        },
      };
    }
    const lockFile = await readFile(join(work, '.terraform.lock.hcl'), 'utf8').catch(
      () => undefined,
    );
    const result: StackCheckResult = {
      init: { ok: true, diagnostics: [] },
      ...(lockFile ? { lockFile } : {}),
    };

    const validate = await run(['validate', '-json', '-no-color']);
    let report: { valid?: boolean; diagnostics?: JsonDiagnostic[] } = {};
    try {
      report = JSON.parse(validate.stdout) as typeof report;
    } catch {
      report = {};
    }
    result.validate = {
      valid: validate.code === 0 && report.valid === true,
      diagnostics: cleanAll(
        validate.timedOut
          ? timedOut('validate')
          : report.diagnostics
            ? report.diagnostics.map(fromJson)
            : fromText(validate.stderr),
      ),
    };
    if (!request.plan || !result.validate.valid) return result;

    const planFile = join(root, 'plan.bin');
    const plan = await run([
      'plan',
      '-input=false',
      '-no-color',
      '-lock=false',
      '-refresh=false',
      '-json',
      `-out=${planFile}`,
    ]);
    const planDiagnostics = plan.timedOut ? timedOut('plan') : streamedDiagnostics(plan.stdout);
    if (plan.code !== 0) {
      result.plan = {
        ok: false,
        diagnostics: cleanAll(planDiagnostics.length > 0 ? planDiagnostics : fromText(plan.stderr)),
      };
      return result;
    }
    const show = await run(['show', '-json', '-no-color', planFile]);
    let json: unknown;
    try {
      json = JSON.parse(show.stdout);
    } catch {
      json = undefined;
    }
    result.plan = {
      ok: show.code === 0 && json !== undefined,
      diagnostics: cleanAll(
        show.code === 0
          ? planDiagnostics
          : show.timedOut
            ? timedOut('show')
            : fromText(show.stderr),
      ),
      ...(json !== undefined ? { json } : {}),
    };
    return result;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
