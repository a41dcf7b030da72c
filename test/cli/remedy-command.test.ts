import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProblem, operations } from '../../engine/api/index.ts';
import { cliRejects, shellWords } from '../blueprint/cli-invocations.ts';
import { emitProblem } from '../../cli/output.ts';
import { commandFor, REMEDY_OPERATIONS } from '../../cli/remedy-command.ts';

const SAMPLE_INPUT = { blueprintId: 'bp_1', planHash: 'a'.repeat(64), runId: 'run_1' };

/** `operation: 'x.y'` inside the remedy actions engine code throws. */
function operationsNamedByEngineRemedies(): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        const text = readFileSync(path, 'utf8');
        for (const match of text.matchAll(/action: \{\s*operation: '([\w.]+)'/g))
          found.add(match[1]!);
      }
    }
  };
  walk('engine');
  return [...found].sort();
}

describe('remedy actions as CLI commands', () => {
  it.each(REMEDY_OPERATIONS)('%s is an operation, and its command parses', (operation) => {
    expect(Object.keys(operations)).toContain(operation);
    const command = commandFor({ operation, input: SAMPLE_INPUT, label: 'x' })!;
    expect(cliRejects(shellWords(command).slice(1))).toBeNull();
  });

  it('has a command for every operation an engine remedy names', () => {
    const named = operationsNamedByEngineRemedies();
    expect(named.length).toBeGreaterThan(3);
    // blueprints.get has no command of its own: its remedy text says what to do.
    expect(
      named.filter((op) => op !== 'blueprints.get' && !REMEDY_OPERATIONS.includes(op)),
    ).toEqual([]);
  });

  it('prints the remedy with the command that carries it out, on one line', () => {
    const lines: string[] = [];
    const code = emitProblem(
      {
        json: false,
        io: { stdout: () => {}, stderr: (text: string) => lines.push(text), isTty: false },
      } as never,
      makeProblem('gate-blocked', {
        detail: 'approval apr_1 does not approve blueprint bp_1',
        remedy: 'approve plan bp_1 first',
        action: { operation: 'blueprints.approve', input: SAMPLE_INPUT, label: 'Approve the plan' },
      }),
    );
    expect(lines).toEqual([
      `prodsprint: approval apr_1 does not approve blueprint bp_1 — approve plan bp_1 first: prodsprint approve bp_1 --plan-hash ${'a'.repeat(64)}\n`,
    ]);
    expect(code).toBe(6);
  });
});
