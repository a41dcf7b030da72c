import { Listr, ListrLogger, ProcessOutput } from 'listr2';
import type { RunEventListener } from './event-hub.ts';
import type { RunEvent } from './run-records.ts';
import { isTerminal, RUN_STATUSES, type RunStatus } from './run-status.ts';

/** Where a view gets its events: RunEngine.subscribe, or an SSE/IPC client with the same shape. */
export interface RunEventSource {
  subscribe(runId: string, afterSeq: number, listener: RunEventListener): () => void;
}

export interface WatchOptions {
  /** Where progress goes; default stderr, so `--json` keeps stdout to its one document. */
  stream?: NodeJS.WriteStream;
  /** Live per-stage display (listr2) when true; plain lines otherwise. Default: stream.isTTY. */
  tty?: boolean;
  /** listr2 renderer for the live display; 'simple' prints one line per change (tests, dumb terminals). */
  renderer?: 'default' | 'simple';
}

/** One event as a plain log line: `<at> <runId> <stage|run> <status> [percent%] [message]`. */
export function formatEventLine(event: RunEvent): string {
  const percent = event.percent === null ? '' : ` ${Math.round(event.percent)}%`;
  const message = event.message ? ` ${event.message}` : '';
  return `${event.at} ${event.runId} ${event.stage ?? 'run'} ${event.status}${percent}${message}`;
}

/**
 * Shows a run until it finishes and resolves with how it ended: a live per-stage display in a
 * terminal, plain lines otherwise (for `prodsprint runs show --follow` and the like).
 */
export function watchRun(
  source: RunEventSource,
  runId: string,
  stages: readonly string[],
  options: WatchOptions = {},
): Promise<RunStatus> {
  const stream = options.stream ?? process.stderr;
  return (options.tty ?? stream.isTTY)
    ? watchLive(source, runId, stages, stream, options.renderer ?? 'default')
    : watchPlain(source, runId, stream);
}

function runEnd(event: RunEvent): RunStatus | null {
  if (event.stage !== null || !(RUN_STATUSES as readonly string[]).includes(event.status))
    return null;
  const status = event.status as RunStatus;
  return isTerminal(status) ? status : null;
}

function watchPlain(
  source: RunEventSource,
  runId: string,
  stream: NodeJS.WriteStream,
): Promise<RunStatus> {
  return new Promise((resolve) => {
    const unsubscribe = source.subscribe(runId, 0, (event) => {
      stream.write(`${formatEventLine(event)}\n`);
      const end = runEnd(event);
      if (end) {
        // The replay may end the run inside subscribe(), before `unsubscribe` is assigned.
        queueMicrotask(() => unsubscribe());
        resolve(end);
      }
    });
  });
}

/** The part of a listr2 task wrapper a stage display needs. */
interface StageTask {
  title: string;
  output: string;
  skip(message?: string): void;
}

async function watchLive(
  source: RunEventSource,
  runId: string,
  stages: readonly string[],
  stream: NodeJS.WriteStream,
  renderer: 'default' | 'simple',
): Promise<RunStatus> {
  const backlog = new Map<string, RunEvent[]>(stages.map((name) => [name, []]));
  const handlers = new Map<string, (event: RunEvent) => void>();
  let end: RunStatus | null = null;
  let resolveEnd: (status: RunStatus) => void = () => {};
  const ended = new Promise<RunStatus>((resolve) => (resolveEnd = resolve));
  const finishAll = () => {
    for (const name of stages)
      handlers.get(name)?.({
        runId,
        seq: 0,
        stage: name,
        status: `run-${end}`,
        percent: null,
        message: '',
        at: '',
      });
  };
  const unsubscribe = source.subscribe(runId, 0, (event) => {
    if (event.stage) {
      backlog.get(event.stage)?.push(event);
      handlers.get(event.stage)?.(event);
    }
    const status = runEnd(event);
    if (status) {
      end = status;
      finishAll();
      resolveEnd(status);
    }
  });

  const follow = (name: string, task: StageTask) =>
    new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (error?: Error) => {
        settled = true;
        if (error) reject(error);
        else resolve();
      };
      // Once a stage's task has ended, the run's end must not re-mark it as not run.
      const handle = (event: RunEvent) => settled || applyToTask(name, task, event, settle);
      handlers.set(name, handle);
      for (const event of backlog.get(name) ?? []) handle(event);
      if (end)
        handle({
          runId,
          seq: 0,
          stage: name,
          status: `run-${end}`,
          percent: null,
          message: '',
          at: '',
        });
    });

  const processOutput = new ProcessOutput(stream, stream);
  const list = new Listr(
    stages.map((name) => ({
      title: name,
      task: (_ctx: unknown, task: StageTask) => follow(name, task),
    })),
    {
      concurrent: true,
      exitOnError: false,
      registerSignalListeners: false,
      renderer,
      fallbackRenderer: 'simple',
      // listr2 falls back when process.stdout is not a terminal; we draw on `stream` instead.
      fallbackRendererCondition: renderer === 'default' && !stream.isTTY,
      rendererOptions: { logger: new ListrLogger({ processOutput }) },
      fallbackRendererOptions: { logger: new ListrLogger({ processOutput }) },
    },
  );
  try {
    await list.run();
    return await ended;
  } finally {
    unsubscribe();
  }
}

function applyToTask(
  name: string,
  task: StageTask,
  event: RunEvent,
  settle: (error?: Error) => void,
): void {
  switch (event.status) {
    case 'running':
      task.title =
        event.message === 'started' ? name : `${name} (${event.message.replace(/ started$/, '')})`;
      return;
    case 'progress':
      task.output = `${Math.round(event.percent ?? 0)}% ${event.message}`;
      return;
    case 'retrying':
    case 'resumed':
      task.output = event.message;
      return;
    case 'done':
      settle();
      return;
    case 'error':
    case 'blocked':
      settle(new Error(`${name} ${event.status}: ${event.message}`));
      return;
    default:
      // cancelled, or the run ended before this stage ran.
      if (event.status === 'cancelled' || event.status.startsWith('run-')) {
        task.skip(
          event.status === 'cancelled'
            ? `cancelled: ${event.message}`
            : `not run (${event.status.slice(4)})`,
        );
        settle();
      }
  }
}
