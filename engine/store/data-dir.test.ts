import { describe, expect, it } from 'vitest';
import { resolveDataDir } from './data-dir.ts';

describe('resolveDataDir', () => {
  it.each([
    [
      '--data-dir wins',
      { flag: '/flag', env: { PRODSPRINT_HOME: '/env', XDG_DATA_HOME: '/xdg' } },
      '/flag',
    ],
    ['then PRODSPRINT_HOME', { env: { PRODSPRINT_HOME: '/env', XDG_DATA_HOME: '/xdg' } }, '/env'],
    [
      'then XDG_DATA_HOME on Linux',
      { env: { XDG_DATA_HOME: '/xdg' }, platform: 'linux' as const, home: '/home/u' },
      '/xdg/prodsprint',
    ],
    [
      'then ~/.local/share on Linux',
      { env: {}, platform: 'linux' as const, home: '/home/u' },
      '/home/u/.local/share/prodsprint',
    ],
    [
      'Application Support on macOS',
      { env: {}, platform: 'darwin' as const, home: '/Users/u' },
      '/Users/u/Library/Application Support/ProdSprint',
    ],
    [
      'APPDATA on Windows',
      {
        env: { APPDATA: 'C:/Users/u/AppData/Roaming' },
        platform: 'win32' as const,
        home: 'C:/Users/u',
      },
      'C:/Users/u/AppData/Roaming/ProdSprint',
    ],
  ])('%s', (_name, sources, expected) => {
    expect(resolveDataDir(sources)).toBe(expected);
  });
});
