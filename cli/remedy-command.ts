/**
 * A Problem's remedy action (an operation of the contract and its input) as the command a
 * person types. The engine's remedies name operations, never a client's syntax, so the desktop
 * app can render the same remedy as a button; this is the CLI's half of that.
 */
import type { RemedyAction } from '../engine/api/index.ts';

type Input = Record<string, unknown>;
const text = (value: unknown) => String(value);

const COMMANDS: Record<string, (input: Input) => string> = {
  'blueprints.approve': (i) =>
    `prodsprint approve ${text(i.blueprintId)} --plan-hash ${text(i.planHash)}`,
  'environments.list': () => 'prodsprint env list',
  'policy.list': () => 'prodsprint policy list',
  'system.operations': () => 'prodsprint tour',
  'runs.deadLetters': () => 'prodsprint runs dlq',
  'runs.get': (i) => `prodsprint runs show ${text(i.runId)}`,
  'projects.list': () => 'prodsprint projects',
};

/** The command for an action, or undefined for an operation the CLI has no command for. */
export function commandFor(action: RemedyAction): string | undefined {
  return COMMANDS[action.operation]?.(action.input);
}

/** Every operation a remedy may name must have a command here (cli tests check the table). */
export const REMEDY_OPERATIONS = Object.keys(COMMANDS);
