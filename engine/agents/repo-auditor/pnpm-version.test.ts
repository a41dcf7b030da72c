import { describe, expect, it } from 'vitest';
import { pnpmInstallOf, pnpmSpecOf } from './pnpm-version.ts';

describe('pnpmSpecOf', () => {
  it('takes the version packageManager pins, without its hash', () => {
    expect(
      pnpmSpecOf(
        'pnpm@10.19.0+sha512.c9fc7236e92adf5c8af42fd5bf1612df99c2ceb62f27047032f4720b33f8eacdde311865e91c411f2774f618d82f320808ecb51718bfa82c060c4ba7c76a32b8',
        null,
      ),
    ).toBe('pnpm@10.19.0');
    expect(pnpmSpecOf('pnpm@9.1.0', "lockfileVersion: '6.0'\n")).toBe('pnpm@9.1.0');
  });

  it('falls back to the major that writes the lockfile when nothing is pinned (corepack would take the newest)', () => {
    expect(pnpmSpecOf(undefined, "lockfileVersion: '9.0'\n\nsettings:\n")).toBe('pnpm@9');
    expect(pnpmSpecOf(undefined, "lockfileVersion: '6.0'\n")).toBe('pnpm@8');
    expect(pnpmSpecOf(undefined, 'lockfileVersion: 5.4\n')).toBe('pnpm@7');
    expect(pnpmSpecOf('yarn@1.22.22', "lockfileVersion: '9.0'\n")).toBe('pnpm@9');
  });

  it('defaults to pnpm 9 with no lockfile or one it does not know, and never echoes text into the command', () => {
    expect(pnpmSpecOf(undefined, null)).toBe('pnpm@9');
    expect(pnpmSpecOf('pnpm@latest; rm -rf /', "lockfileVersion: '42.0'\n")).toBe('pnpm@9');
  });

  it('installs through npm, which the node images carry', () => {
    expect(pnpmInstallOf('pnpm@8')).toBe('npm install --global --no-audit --no-fund pnpm@8');
  });
});
