/**
 * The renderer's view of the engine: typed operations from the contract. It neither knows nor
 * cares whether the answers come over Electron IPC or HTTP (invariant 1).
 */
import {
  operationNames,
  type InputOf,
  type OperationName,
  type OutputOf,
} from '../../engine/contract/operations.contract.ts';
import { ProblemError } from '../../engine/contract/problem.ts';
import type { IpcEnvelope } from '../../engine/contract/transport.contract.ts';

export type ContractClient = { [N in OperationName]: (input: InputOf<N>) => Promise<OutputOf<N>> };

/** What preload exposes on window: raw envelopes, unwrapped by `unwrap`. */
export type RawBridge = {
  [N in OperationName]: (input: InputOf<N>) => Promise<IpcEnvelope<OutputOf<N>>>;
};

export function unwrap<T>(envelope: IpcEnvelope<T>): T {
  if (envelope.ok) return envelope.value;
  throw new ProblemError(envelope.error);
}

/**
 * Wraps the preload bridge so every call returns its value or throws the Problem it carried.
 * A plain object with one method per contract operation, not a Proxy: a Proxy answers every
 * property, `then` included, so `await createContractClient(bridge)` would never settle.
 */
export function createContractClient(bridge: RawBridge): ContractClient {
  const calls = bridge as unknown as Record<
    string,
    (input: unknown) => Promise<IpcEnvelope<unknown>>
  >;
  return Object.fromEntries(
    operationNames.map((name) => [
      name,
      async (input: unknown) => unwrap(await calls[name]!(input)),
    ]),
  ) as ContractClient;
}
