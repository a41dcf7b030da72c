import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { layerOf, readLayers } from '../../lint/engine-layers.js';

// Proves the layering rules in eslint.config.js fire: each case lints a file as if it lived in
// a given folder. A rule that stopped matching would let the architecture erode silently.
const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImportMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter(
      (message) =>
        message.ruleId === 'no-restricted-imports' ||
        message.ruleId === 'no-restricted-globals' ||
        message.ruleId === 'layering/engine-layers',
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
      /imports only engine\/contract/,
    ],
    [
      'renderer/src/bad.ts',
      `import { createEngine } from '../../engine/api/engine.ts';\nexport const c = createEngine;\n`,
      /imports only engine\/contract/,
    ],
    [
      'cli/bad.ts',
      `import { openStore } from '../engine/store/database.ts';\nexport const o = openStore;\n`,
      /only through engine\/api/,
    ],
    [
      'main/bad.ts',
      `import { runDoctor } from '../engine/runtime/doctor/doctor.ts';\nexport const d = runDoctor;\n`,
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
      `import type { OperationName } from '../../engine/contract/operations.contract.ts';\nexport type N = OperationName;\n`,
    ],
    [
      'renderer/src/ok.ts',
      `import { ProblemError } from '../../engine/contract/problem.ts';\nexport const p = ProblemError;\n`,
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

/**
 * Inside the engine, one case per row of README.md's layout table: a file of the row imports an
 * engine folder the row does not allow (reported), and one it does allow (not reported).
 */
const layers = readLayers(readFileSync('README.md', 'utf8'));
const engineFolders = [...new Set(layers.flatMap((layer) => layer.folders))];

function importFrom(fromFolder: string, toFolder: string): string {
  const from = `${fromFolder}/x/bad.ts`;
  const depth = from.split('/').length - 1;
  return `import * as m from '${'../'.repeat(depth)}${toFolder}/index.ts';\nexport const n = m;\n`;
}

describe('the engine layering follows README.md’s layout table', () => {
  it('reads every engine row, with the folders of this repository', () => {
    expect(layers.length).toBeGreaterThanOrEqual(20);
    for (const folder of ['engine/runs', 'engine/contract', 'engine/agents/sprint'])
      expect(engineFolders).toContain(folder);
  });

  it.each(layers.filter((layer) => !layer.any).map((layer) => [layer.folders[0]!, layer] as const))(
    '%s importing a folder its row does not allow is reported; one it allows is not',
    async (folder, layer) => {
      const allowed = (target: string) =>
        layerOf(layers, target)?.layer === layer ||
        layer.mayImport.some(
          (name) => target === `engine/${name}` || target.startsWith(`engine/${name}/`),
        );
      const forbidden = engineFolders.find((target) => !allowed(target));
      expect(forbidden, `${folder} may import every folder: nothing to prove`).toBeDefined();
      const reported = await restrictedImportMessages(
        `${folder}/x/bad.ts`,
        importFrom(folder, forbidden!),
      );
      expect(reported.join('\n')).toMatch(new RegExp(`${folder} may not import ${forbidden}`));

      const permitted = engineFolders.find((target) => target !== folder && allowed(target));
      if (permitted)
        expect(
          await restrictedImportMessages(`${folder}/x/ok.ts`, importFrom(folder, permitted)),
        ).toEqual([]);
    },
  );

  it('reports a file in a folder the table does not know', async () => {
    const messages = await restrictedImportMessages(
      'engine/newthing/a.ts',
      `import * as m from '../store/database.ts';\nexport const n = m;\n`,
    );
    expect(messages.join('\n')).toMatch(/is in no row of README.md's layout table/);
  });

  it('keeps the contract a leaf: only zod and its own files', async () => {
    expect(
      (
        await restrictedImportMessages(
          'engine/contract/bad.contract.ts',
          `import { openStore } from '../store/database.ts';\nexport const o = openStore;\n`,
        )
      ).join('\n'),
    ).toMatch(/engine\/contract is a leaf/);
    expect(
      await restrictedImportMessages(
        'engine/contract/ok.contract.ts',
        `import { z } from 'zod';\nimport { defineOperation } from './operation.ts';\nexport const a = [z, defineOperation];\n`,
      ),
    ).toEqual([]);
  });
});
