/**
 * Electron main process: one window, and the IPC adapter over the contract. The Electron binary
 * cannot be downloaded on the build machines, so this file is type-checked and its logic
 * (ipc-adapter.ts) is unit-tested; it runs where electron-builder packages it.
 */
import { app, BrowserWindow, ipcMain } from 'electron';
import { fileURLToPath } from 'node:url';
import { createEngine, operationNames } from '../engine/api/index.ts';
import { ipcChannel } from '../engine/contract/transport.contract.ts';
import { handleIpcCall, isTrustedSender } from './ipc-adapter.ts';

const devServerUrl = process.env.PRODSPRINT_DEV_SERVER_URL;

async function start(): Promise<void> {
  await app.whenReady();
  const engine = createEngine();
  for (const name of operationNames) {
    const channel = ipcChannel(name);
    ipcMain.handle(channel, async (event, input: unknown) => {
      if (!isTrustedSender(event.senderFrame?.url ?? '', devServerUrl)) {
        throw new Error(`refused IPC from untrusted frame ${event.senderFrame?.url ?? 'unknown'}`);
      }
      return handleIpcCall(engine, channel, input);
    });
  }
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'ProdSprint',
    webPreferences: {
      preload: fileURLToPath(new URL('../preload/preload.js', import.meta.url)),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  await (devServerUrl
    ? window.loadURL(devServerUrl)
    : window.loadFile(fileURLToPath(new URL('../renderer/index.html', import.meta.url))));
  app.on('window-all-closed', () => {
    engine.close();
    app.quit();
  });
}

void start();
