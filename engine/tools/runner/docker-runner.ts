/**
 * Runs an allowed tool inside a container (issue 8). The image must already be on the engine and
 * its image ID must equal the manifest's digest; nothing is pulled. The image ID (the sha256 of
 * the image config) is what is pinned rather than a repo digest: locally built and `docker
 * load`ed images have no repo digest (that exists only after a push or pull), while the ID covers
 * the config and, through its layer diff_ids, every byte of the file system, and survives
 * `docker save` / `docker load` unchanged.
 *
 * Containers are created from the verified ID (not the tag, which could move between the check
 * and the start), labelled with the job id so a restarted engine can resume, terminate or clean
 * them up, with the network off, limits on, every capability dropped, the root file system and
 * mounts read-only and a tmpfs /tmp (the image's ENTRYPOINT must be the tool: args are its Cmd).
 */
import type Docker from 'dockerode';
import { Writable } from 'node:stream';
import type { Redactor } from '../../secrets/redact.ts';
import { findToolEntry } from '../manifest.ts';
import type { ToolManifest } from '../manifest.ts';
import { lineSink } from './line-stream.ts';
import type { RemoteRunJournal } from './remote-runs.ts';
import { ToolError } from './tool-error.ts';
import type { ResumeOptions, ToolJob, ToolJobOutcome, ToolJobResult, ToolRunner } from './types.ts';

export const JOB_LABEL = 'prodsprint.tool-job';
export const TOOL_LABEL = 'prodsprint.tool';

export interface ContainerLimits {
  /** CPUs, e.g. 1.5. */
  cpus: number;
  memoryBytes: number;
  pids: number;
  /** Size of the container's private /tmp (tmpfs; counts against memory). */
  tmpBytes: number;
}

export interface DockerRunnerOptions {
  docker: Docker;
  manifest: ToolManifest;
  redactor: Redactor;
  /**
   * An internal registry images may come from. Pulling is not implemented yet: with or without
   * it a missing image is refused, but the message says which remedy applies.
   */
  internalRegistry?: string;
  /** Default `none`; a tool that needs a network must ask for one by name. */
  networkMode?: string;
  limits?: Partial<ContainerLimits>;
  defaultTimeoutMs?: number;
  journal?: RemoteRunJournal;
}

const DEFAULT_LIMITS: ContainerLimits = {
  cpus: 1,
  memoryBytes: 1024 * 1024 * 1024,
  pids: 256,
  tmpBytes: 256 * 1024 * 1024,
};

interface Attached {
  kill(outcome: ToolJobOutcome): void;
  done: Promise<ToolJobResult>;
}

export class DockerRunner implements ToolRunner {
  readonly kind = 'docker' as const;
  private readonly options: DockerRunnerOptions;
  private readonly attached = new Map<string, Attached>();

  constructor(options: DockerRunnerOptions) {
    this.options = options;
  }

  /** Checks the tool's image is allowed, present and pinned; returns its verified image ID. */
  async verifiedImage(tool: string): Promise<string> {
    const entry = findToolEntry(this.options.manifest, tool);
    if (!entry) {
      throw new ToolError(
        tool,
        'not-allowed',
        `${tool} is not in the tool manifest (bundled-tools/manifest.json), so it may not run`,
        `add ${tool} with its image and image ID to bundled-tools/manifest.json`,
      );
    }
    const image = entry.image;
    if (!image) {
      throw new ToolError(
        tool,
        'missing',
        `${tool} has no image in the tool manifest${entry.unavailable ? ` (${entry.unavailable})` : ''}`,
        entry.remediation,
      );
    }
    if (!image.digest) {
      throw new ToolError(
        tool,
        'not-pinned',
        `the tool manifest pins no digest for ${image.reference}, so it cannot be verified`,
        `build or load the image, then set tools[${tool}].image.digest to its image ID (${image.digestSource ?? 'docker image inspect'})`,
      );
    }
    let id: string;
    try {
      id = (await this.options.docker.getImage(image.reference).inspect()).Id;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      throw this.options.internalRegistry
        ? new ToolError(
            tool,
            'pull-refused',
            `${image.reference} is not on this Docker Engine; pulling it from ${this.options.internalRegistry} is not supported in this version`,
            `load the ${tool} tool bundle (prodsprint tools load FILE)`,
          )
        : new ToolError(
            tool,
            'missing',
            `${image.reference} is not on this Docker Engine and images are never pulled (no internal registry is configured)`,
            `load the ${tool} tool bundle (prodsprint tools load FILE), or configure an internal registry`,
          );
    }
    if (id !== image.digest) {
      throw new ToolError(
        tool,
        'digest-mismatch',
        `refusing to run ${image.reference}: its image ID is ${id}, the manifest pins ${image.digest}`,
        `load the ${tool} ${entry.version} bundle the manifest pins (prodsprint tools load FILE), or update the manifest if this image is the one you trust`,
      );
    }
    return id;
  }

  async run(job: ToolJob): Promise<ToolJobResult> {
    const imageId = await this.verifiedImage(job.tool);
    if (job.signal?.aborted)
      return { jobId: job.jobId, outcome: 'cancelled', exitCode: null, durationMs: 0 };
    // Invariant 4: a job id runs once. After a crash the caller resumes it instead.
    if ((await this.containersOf(job.jobId)).length > 0) {
      throw new Error(`job ${job.jobId} already has a container: resume or clean it up`);
    }
    const limits = { ...DEFAULT_LIMITS, ...this.options.limits };
    const container = await this.options.docker.createContainer({
      name: containerName(job.jobId),
      Image: imageId,
      Cmd: job.args,
      Env: Object.entries(job.env ?? {}).map(([key, value]) => `${key}=${value}`),
      Labels: { [JOB_LABEL]: job.jobId, [TOOL_LABEL]: job.tool },
      Tty: false,
      AttachStdout: false,
      AttachStderr: false,
      HostConfig: {
        NetworkMode: this.options.networkMode ?? 'none',
        Binds: (job.mounts ?? []).map(
          (mount) =>
            `${mount.hostPath}:${mount.containerPath}:${mount.readOnly === false ? 'rw' : 'ro'}`,
        ),
        NanoCpus: Math.round(limits.cpus * 1e9),
        Memory: limits.memoryBytes,
        MemorySwap: limits.memoryBytes,
        PidsLimit: limits.pids,
        // The image's own file system is read-only; tools write only to a private /tmp.
        ReadonlyRootfs: true,
        Tmpfs: { '/tmp': `rw,nosuid,nodev,size=${limits.tmpBytes}` },
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        AutoRemove: false,
      },
    });
    this.options.journal?.started(job.jobId, 'docker', container.id);
    try {
      await container.start();
    } catch (error) {
      await container.remove({ force: true }).catch(() => undefined);
      this.options.journal?.finished(job.jobId, 'finished');
      throw error;
    }
    return this.follow(container, job.jobId, Date.now(), job);
  }

  async resume(jobId: string, options: ResumeOptions = {}): Promise<ToolJobResult | undefined> {
    const inFlight = this.attached.get(jobId);
    if (inFlight) return inFlight.done;
    const [found] = await this.containersOf(jobId);
    if (!found) return undefined;
    const container = this.options.docker.getContainer(found.Id);
    // Output is streamed again from the start: the previous engine's callback died with it.
    return this.follow(container, jobId, found.Created * 1000, options);
  }

  async terminate(jobId: string): Promise<void> {
    const inFlight = this.attached.get(jobId);
    if (inFlight) {
      inFlight.kill('cancelled');
      await inFlight.done.catch(() => undefined);
      return;
    }
    for (const found of await this.containersOf(jobId)) {
      await removeContainer(this.options.docker.getContainer(found.Id));
    }
    this.options.journal?.finished(jobId, 'terminated');
  }

  async cleanup(jobId: string): Promise<void> {
    for (const found of await this.containersOf(jobId)) {
      await removeContainer(this.options.docker.getContainer(found.Id));
    }
  }

  private containersOf(jobId: string): Promise<Docker.ContainerInfo[]> {
    return this.options.docker.listContainers({
      all: true,
      filters: { label: [`${JOB_LABEL}=${jobId}`] },
    });
  }

  /** Streams a started container's output, enforces timeout and cancel, removes it at the end. */
  private follow(
    container: Docker.Container,
    jobId: string,
    startedAt: number,
    options: ResumeOptions,
  ): Promise<ToolJobResult> {
    let killedAs: ToolJobOutcome | undefined;
    const kill = (outcome: ToolJobOutcome) => {
      if (killedAs) return;
      killedAs = outcome;
      container.kill({ signal: 'SIGKILL' }).catch(() => undefined);
    };
    const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs ?? 10 * 60_000;
    const timer = setTimeout(() => kill('timed-out'), timeoutMs);
    const onAbort = () => kill('cancelled');
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const done = (async (): Promise<ToolJobResult> => {
      try {
        // A log stream that fails must not hide the exit code (or leave a rejection unhandled).
        const logsEnded = this.streamLogs(container, jobId, options).catch(() => undefined);
        const { StatusCode } = (await container.wait()) as { StatusCode: number };
        await logsEnded;
        return {
          jobId,
          outcome: killedAs ?? 'exited',
          exitCode: killedAs ? null : StatusCode,
          durationMs: Date.now() - startedAt,
        };
      } finally {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.attached.delete(jobId);
        await removeContainer(container);
        this.options.journal?.finished(jobId, killedAs === 'cancelled' ? 'terminated' : 'finished');
      }
    })();
    this.attached.set(jobId, { kill, done });
    return done;
  }

  private async streamLogs(
    container: Docker.Container,
    jobId: string,
    options: ResumeOptions,
  ): Promise<void> {
    const stream = await container.logs({ follow: true, stdout: true, stderr: true });
    const out = lineSink(jobId, 'stdout', this.options.redactor, options.onLine);
    const err = lineSink(jobId, 'stderr', this.options.redactor, options.onLine);
    const sink = (target: typeof out) =>
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          target.write(chunk);
          callback();
        },
      });
    this.options.docker.modem.demuxStream(stream, sink(out), sink(err));
    await new Promise<void>((resolve) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', () => resolve());
    });
    out.end();
    err.end();
  }
}

function containerName(jobId: string): string {
  return `prodsprint-tool-${jobId.replace(/[^a-zA-Z0-9_.-]/g, '-')}`;
}

/**
 * Force-removes a container and returns once it is gone. Two runners may remove the same one (a
 * resumed job and the run that started it): the second gets 409 "removal in progress", so both
 * wait for the engine to report it removed.
 */
async function removeContainer(container: Docker.Container): Promise<void> {
  await container.remove({ force: true }).catch(ignoreGone);
  await container.wait({ condition: 'removed' }).catch(ignoreGone);
}

function ignoreGone(error: unknown): void {
  const status = (error as { statusCode?: number }).statusCode;
  if (status !== 404 && status !== 409) throw error;
}
