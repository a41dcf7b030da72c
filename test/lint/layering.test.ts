import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Proves the layering rules in eslint.config.js fire: each case lints a file as if it lived in
// a given folder. A rule that stopped matching would let the architecture erode silently.
const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImportMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter(
      (message) =>
        message.ruleId === 'no-restricted-imports' || message.ruleId === 'no-restricted-globals',
    )
    .map((message) => message.message);
}

describe('layering is enforced by lint', () => {
  it.each([
    [
      'engine/runs/bad.ts',
      `import { app } from 'electron';\nexport const a = app;\n`,
      /no UI or Electron/,
    ],
    [
      'engine/store/bad.ts',
      `import React from 'react';\nexport const r = React;\n`,
      /no UI or Electron/,
    ],
    [
      'engine/store/bad.ts',
      `import { main } from '../../cli/main.ts';\nexport const m = main;\n`,
      /bottom layer/,
    ],
    ['engine/store/bad.ts', `export const title = document.title;\n`, /no DOM globals/],
    [
      'renderer/src/bad.ts',
      `import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n`,
      /no Node built-ins/,
    ],
    [
      'renderer/src/bad.ts',
      `import { openStore } from '../../engine/store/database.ts';\nexport const o = openStore;\n`,
      /only engine\/api contract types/,
    ],
    [
      'renderer/src/bad.ts',
      `import { createEngine } from '../../engine/api/engine.ts';\nexport const c = createEngine;\n`,
      /only engine\/api contract types/,
    ],
    [
      'cli/bad.ts',
      `import { openStore } from '../engine/store/database.ts';\nexport const o = openStore;\n`,
      /only through engine\/api/,
    ],
    [
      'main/bad.ts',
      `import { runDoctor } from '../engine/system/doctor.ts';\nexport const d = runDoctor;\n`,
      /only through engine\/api/,
    ],
    [
      'preload/bad.ts',
      `import { createEngine } from '../engine/api/engine.ts';\nexport const c = createEngine;\n`,
      /never loads engine code/,
    ],
  ])('%s breaking the rule is reported', async (filePath, code, expected) => {
    const messages = await restrictedImportMessages(filePath, code);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.join('\n')).toMatch(expected);
  });

  it.each([
    [
      'renderer/src/ok.ts',
      `import type { OperationName } from '../../engine/api/operations.contract.ts';\nexport type N = OperationName;\n`,
    ],
    [
      'renderer/src/ok.ts',
      `import { ProblemError } from '../../engine/api/problem.ts';\nexport const p = ProblemError;\n`,
    ],
    [
      'cli/ok.ts',
      `import { createEngine } from '../engine/api/index.ts';\nexport const c = createEngine;\n`,
    ],
    [
      'engine/store/ok.ts',
      `import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n`,
    ],
    ['main/ok.ts', `import { app } from 'electron';\nexport const a = app;\n`],
  ])('%s following the rule is not reported', async (filePath, code) => {
    expect(await restrictedImportMessages(filePath, code)).toEqual([]);
  });
});
