/**
 * Turns a planned test command into what runs in a runtime image that has no shell and no
 * package manager (local/<runtime>:base): `python3 …` runs as is; `npm|pnpm|yarn test` is the
 * package.json `test` script, read and split here because there is no `sh -c` to hand it to.
 * Only what a script needs without a shell is accepted: `a && b` chains whose leading steps are
 * `mkdir -p DIR…` (done before the run) and whose last step is `node …` or a node_modules/.bin
 * script, with optional VAR=value prefixes and quoted words. Anything else is refused with a
 * reason, never guessed.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { TestCommand } from './test-command.ts';

export interface ContainerCommand {
  entrypoint: string;
  args: string[];
  env: Record<string, string>;
  /** Directories (relative to the service dir) to create before the run. */
  mkdirs: string[];
}

export class ContainerTestUnsupportedError extends Error {
  readonly remedy: string;
  constructor(message: string, remedy: string) {
    super(message);
    this.name = 'ContainerTestUnsupportedError';
    this.remedy = remedy;
  }
}

const SHELL_ONLY = /[|;<>`$(){}*?]|\|\||&(?!&)/;

export function containerCommand(command: TestCommand, serviceDir: string): ContainerCommand {
  if (command.command === 'python3' || command.command === 'python')
    return { entrypoint: 'python3', args: command.args, env: {}, mkdirs: [] };
  if (['npm', 'pnpm', 'yarn'].includes(command.command) && command.args[0] === 'test')
    return fromTestScript(serviceDir);
  throw new ContainerTestUnsupportedError(
    `${[command.command, ...command.args].join(' ')} cannot run in a runtime base image (it has only the runtime)`,
    'run the tests as a local process (with consent), or in an image that has the tool',
  );
}

function fromTestScript(serviceDir: string): ContainerCommand {
  const manifest = join(serviceDir, 'package.json');
  const script = existsSync(manifest)
    ? (JSON.parse(readFileSync(manifest, 'utf8')) as { scripts?: Record<string, string> }).scripts
        ?.test
    : undefined;
  const refuse = (why: string) =>
    new ContainerTestUnsupportedError(
      `the test script cannot run without a shell: ${why}`,
      'make the "test" script a plain command (node --test …, or a node_modules/.bin tool), or run the tests as a local process',
    );
  if (!script) throw refuse('package.json has no "test" script');
  const steps = script.split('&&').map((step) => words(step, refuse));
  const mkdirs: string[] = [];
  for (const step of steps.slice(0, -1)) {
    if (
      step[0] !== 'mkdir' ||
      !step.slice(1).every((word) => word === '-p' || !word.startsWith('-'))
    )
      throw refuse(`only "mkdir -p DIR" may precede the test command, found "${step.join(' ')}"`);
    mkdirs.push(...step.slice(1).filter((word) => word !== '-p'));
  }
  const last = [...(steps.at(-1) ?? [])];
  const env: Record<string, string> = {};
  while (last[0] && /^[A-Za-z_][A-Za-z0-9_]*=/.test(last[0])) {
    const [name, ...value] = (last.shift() as string).split('=');
    env[name as string] = value.join('=');
  }
  const [program, ...args] = last;
  if (!program) throw refuse('the test script is empty');
  if (program === 'node') return { entrypoint: 'node', args, env, mkdirs };
  const bin = join(serviceDir, 'node_modules', '.bin', program);
  if (existsSync(bin)) {
    // The .bin entry is a symlink to the package's JS entry point: run that with node.
    const target = relative(serviceDir, realpathSync(bin));
    return { entrypoint: 'node', args: [target, ...args], env, mkdirs };
  }
  throw refuse(`"${program}" is neither node nor a script in node_modules/.bin`);
}

/** Splits one step into words the way sh would for quotes; refuses shell-only syntax. */
function words(step: string, refuse: (why: string) => Error): string[] {
  const out: string[] = [];
  let current = '';
  let quote: '"' | "'" | undefined;
  let started = false;
  for (let index = 0; index < step.length; index += 1) {
    const char = step[index] as string;
    if (quote) {
      if (char === quote) quote = undefined;
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      started = true;
    } else if (/\s/.test(char)) {
      if (started) out.push(current);
      current = '';
      started = false;
    } else {
      if (SHELL_ONLY.test(char) || char === '\\') throw refuse(`"${char}" needs a shell`);
      current += char;
      started = true;
    }
  }
  if (quote) throw refuse('unterminated quote');
  if (started) out.push(current);
  return out;
}
