/**
 * Finds the `terraform` binary and runs one of its commands for the plan's self-check (issue 15):
 * spawned without a shell, in its own process group (a timeout kills the provider plugins it
 * started too), with an environment built from nothing but what is passed, so the user's
 * credentials, CLI config and TF_* variables never reach it. Output is returned, not logged: the
 * caller parses it and redacts what it reports.
 *
 * The binary is the team's own (PATH or PRODSPRINT_TERRAFORM): bundled-tools/manifest.json pins
 * no Terraform checksum yet, and this check only validates and plans new resources offline.
 */
import { spawn } from 'node:child_process';
import { findExecutable } from '../detect.ts';

export const TERRAFORM_ENV = 'PRODSPRINT_TERRAFORM';

export type TerraformLookup =
  { found: true; binary: string } | { found: false; reason: string; remedy: string };

/** `PRODSPRINT_TERRAFORM`, else `terraform` on PATH. */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): TerraformLookup {
  const configured = env[TERRAFORM_ENV];
  if (configured) {
    const binary = findExecutable(configured, env);
    if (binary) return { found: true, binary };
    return {
      found: false,
      reason: `${TERRAFORM_ENV}=${configured} is not an executable file`,
      remedy: `point ${TERRAFORM_ENV} at the terraform binary from your internal mirror (or unset it to use terraform on PATH)`,
    };
  }
  const binary = findExecutable('terraform', env);
  if (binary) return { found: true, binary };
  return {
    found: false,
    reason: 'terraform is not on PATH',
    remedy: `install Terraform (1.5 or newer) from your internal mirror and put it on PATH, or set ${TERRAFORM_ENV}=/path/to/terraform`,
  };
}

export interface TerraformCommand {
  binary: string;
  args: string[];
  cwd: string;
  /** The whole environment of the process: nothing is inherited. */
  env: Record<string, string>;
  timeoutMs: number;
}

export interface TerraformResult {
  /** Null when it was killed (timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Output beyond this is dropped: a plan JSON of a few hundred resources is a few MB. */
const MAX_OUTPUT = 64 * 1024 * 1024;

/** Runs one terraform command to completion. */
export function runTerraform(command: TerraformCommand): Promise<TerraformResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command.binary, command.args, {
      cwd: command.cwd,
      env: command.env,
      shell: false,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      if (size + chunk.length > MAX_OUTPUT) return;
      size += chunk.length;
      into.push(chunk);
    };
    child.stdout.on('data', collect(out));
    child.stderr.on('data', collect(err));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, command.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({
        code: timedOut ? null : code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
      });
    });
  });
}

/** `Terraform v1.11.4` from `terraform version -json`, or undefined when it does not answer. */
export async function terraformVersion(
  binary: string,
  env: Record<string, string>,
  cwd: string,
): Promise<string | undefined> {
  const result = await runTerraform({
    binary,
    args: ['version', '-json'],
    cwd,
    env,
    timeoutMs: 30_000,
  });
  try {
    const parsed = JSON.parse(result.stdout) as { terraform_version?: string };
    return parsed.terraform_version;
  } catch {
    return undefined;
  }
}
