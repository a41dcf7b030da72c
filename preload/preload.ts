/**
 * The bridge: the renderer gets one method per contract operation and nothing else — no
 * ipcRenderer, no event objects, no generic invoke(channel).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { operationNames } from '../engine/contract/operations.contract.ts';
import { ipcChannel } from '../engine/contract/transport.contract.ts';

const client: Record<string, (input: unknown) => Promise<unknown>> = {};
for (const name of operationNames) {
  const channel = ipcChannel(name);
  client[name] = (input: unknown) => ipcRenderer.invoke(channel, input);
}

contextBridge.exposeInMainWorld('prodsprint', Object.freeze(client));
