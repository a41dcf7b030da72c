import { isOperationName, makeProblem, ProblemError, type Engine } from '../engine/api/index.ts';
import { IPC_PREFIX, type IpcEnvelope } from '../engine/contract/transport.contract.ts';

/**
 * One IPC call: the channel names the operation, the engine parses the input against the
 * contract. Kept free of Electron so it is tested without it.
 */
export async function handleIpcCall(
  engine: Engine,
  channel: string,
  input: unknown,
): Promise<IpcEnvelope<unknown>> {
  const name = channel.startsWith(IPC_PREFIX) ? channel.slice(IPC_PREFIX.length) : '';
  if (!isOperationName(name)) {
    return {
      ok: false,
      error: makeProblem('not-found', { detail: `no operation behind IPC channel ${channel}` }),
    };
  }
  try {
    return { ok: true, value: await engine.invoke(name, input as never) };
  } catch (error) {
    if (error instanceof ProblemError) return { ok: false, error: error.problem };
    return {
      ok: false,
      error: makeProblem('internal', { detail: 'unexpected error crossing IPC' }),
    };
  }
}

/** Only our own pages may call the engine: the app's files, or the Vite dev server in development. */
export function isTrustedSender(url: string, devServerUrl: string | undefined): boolean {
  if (url.startsWith('file://')) return true;
  return devServerUrl !== undefined && url.startsWith(devServerUrl);
}
