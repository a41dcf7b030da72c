/**
 * The ToolRunner contract (issue 8; STYLE.md point 7, after Argo's metric providers): run,
 * resume, terminate, cleanup. Every job has an id chosen by the caller, so a restarted engine
 * can find a container job it started and pick it up instead of starting it again.
 */

export interface ToolOutputLine {
  jobId: string;
  stream: 'stdout' | 'stderr';
  /** Already redacted. */
  line: string;
}

export interface ToolMount {
  hostPath: string;
  containerPath: string;
  /** Read-only unless explicitly false (source trees are never written by tools). */
  readOnly?: boolean;
}

export interface ToolJob {
  /** Unique per job; used as the container name's suffix and the remote_runs id. */
  jobId: string;
  /** Manifest name of the tool (`trivy`). */
  tool: string;
  args: string[];
  /** The whole environment of the tool: nothing is inherited implicitly. */
  env?: Record<string, string>;
  /** LocalRunner only: working directory. */
  cwd?: string;
  /** DockerRunner only: bind mounts (read-only by default). */
  mounts?: ToolMount[];
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Every line of output, redacted, keyed by job id. */
  onLine?: (line: ToolOutputLine) => void;
}

export type ToolJobOutcome = 'exited' | 'timed-out' | 'cancelled';

export interface ToolJobResult {
  jobId: string;
  outcome: ToolJobOutcome;
  /** The tool's exit code; null when it was killed. */
  exitCode: number | null;
  durationMs: number;
}

/** What a resumed job needs from its caller again (callbacks do not survive a restart). */
export interface ResumeOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  onLine?: (line: ToolOutputLine) => void;
}

export interface ToolRunner {
  readonly kind: 'local' | 'docker';
  /** Runs a job to its end; throws ToolError before starting anything that is not allowed. */
  run(job: ToolJob): Promise<ToolJobResult>;
  /**
   * Picks up a job started earlier (possibly by a previous engine process) and waits for it;
   * undefined when there is nothing to pick up (it never existed, or was cleaned up).
   */
  resume(jobId: string, options?: ResumeOptions): Promise<ToolJobResult | undefined>;
  /** Stops a job in flight (kills it); a no-op for a job that is not running. */
  terminate(jobId: string): Promise<void>;
  /** Removes whatever a job left behind (containers); safe to call twice. */
  cleanup(jobId: string): Promise<void>;
}
