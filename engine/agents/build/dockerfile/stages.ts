/**
 * The stages of a parsed Dockerfile and the ones a target needs, with BuildKit's rules: a
 * stage depends on the stage its FROM names, the stages its `COPY --from=<name|index>` copy
 * from and the stages its `RUN --mount=from=<name>` mount. Everything else is pruned before
 * the legacy builder sees the file (the legacy builder builds every stage before the target
 * and parses every line, so a later stage with BuildKit-only syntax would fail the build).
 */
import { UnsupportedDockerfileError } from './errors.ts';
import { flag, parseFlags, parseMount } from './flags.ts';
import type { Instruction, ParsedDockerfile } from './parse.ts';
import { expandWord, ShellWordError, splitRawWords, type VariableLookup } from './shell-words.ts';

/** BuildKit's automatic platform args, for the one platform this engine builds (linux/amd64). */
export const PLATFORM_ARGS: Readonly<Record<string, string>> = {
  BUILDPLATFORM: 'linux/amd64',
  TARGETPLATFORM: 'linux/amd64',
  TARGETOS: 'linux',
  TARGETARCH: 'amd64',
  TARGETVARIANT: '',
  BUILDOS: 'linux',
  BUILDARCH: 'amd64',
};

/** Where a stage takes files from: another stage (by index) or an image. */
export type Source = { stage: number } | { image: string };

export interface Stage {
  index: number;
  /** Lower-cased `AS` name (BuildKit compares stage names case-insensitively). */
  name: string | null;
  from: Instruction;
  /** The FROM reference after ARG substitution. */
  base: string;
  /** Index of the stage FROM names, or null for an image (or scratch). */
  parent: number | null;
  body: Instruction[];
  /** Every `COPY --from` / `RUN --mount=from` source, keyed by the instruction. */
  sources: Map<Instruction, Source[]>;
}

export interface Stages {
  /** ARG instructions before the first FROM. */
  globalArgs: Instruction[];
  /** Names declared by those ARGs. */
  globalNames: Set<string>;
  stages: Stage[];
  /** Variables the kept FROM lines referenced (to declare platform args the legacy builder lacks). */
  fromReferences: Map<number, Set<string>>;
}

export const stageLabel = (stage: Stage) => stage.name ?? String(stage.index);

/** `ARG A=1 B` → [['A', '1'], ['B', undefined]] (quotes removed from defaults later). */
export function argDeclarations(instruction: Instruction): Array<[string, string | undefined]> {
  return splitRawWords(instruction.args).map((word) => {
    const eq = word.indexOf('=');
    return eq < 0 ? [word, undefined] : [word.slice(0, eq), word.slice(eq + 1)];
  });
}

function expand(text: string, lookup: VariableLookup, line: number, referenced?: Set<string>) {
  try {
    return expandWord(text, lookup, { referenced });
  } catch (error) {
    if (!(error instanceof ShellWordError)) throw error;
    throw new UnsupportedDockerfileError(
      line,
      'variable substitution',
      error.message,
      `fix the substitution on line ${line}`,
    );
  }
}

/** Splits the file into stages, resolving FROM and `--from` references. */
export function splitStages(parsed: ParsedDockerfile, buildArgs: Record<string, string>): Stages {
  const globalArgs: Instruction[] = [];
  const globals = new Map<string, string | undefined>();
  const lookup: VariableLookup = (name) =>
    globals.has(name) ? globals.get(name) : PLATFORM_ARGS[name];
  const stages: Stage[] = [];
  const fromReferences = new Map<number, Set<string>>();
  for (const instruction of parsed.instructions) {
    const line = instruction.startLine;
    if (instruction.keyword === 'FROM') {
      const words = splitRawWords(instruction.args);
      const hasName = words.length === 3 && words[1]!.toUpperCase() === 'AS';
      if (words.length !== 1 && !hasName)
        throw new UnsupportedDockerfileError(
          line,
          'FROM',
          'FROM takes an image and an optional `AS name`',
          `fix line ${line}`,
        );
      const referenced = new Set<string>();
      const base = expand(words[0]!, lookup, line, referenced);
      const index = stages.length;
      fromReferences.set(index, referenced);
      const parent = stages.find(
        (stage) => stage.name !== null && stage.name === base.toLowerCase(),
      );
      stages.push({
        index,
        name: hasName ? words[2]!.toLowerCase() : null,
        from: instruction,
        base,
        parent: parent ? parent.index : null,
        body: [],
        sources: new Map(),
      });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) {
      if (instruction.keyword !== 'ARG')
        throw new UnsupportedDockerfileError(
          line,
          `${instruction.keyword} before FROM`,
          'only ARG may come before the first FROM',
          `move line ${line} below the first FROM`,
        );
      globalArgs.push(instruction);
      for (const [name, value] of argDeclarations(instruction))
        globals.set(
          name,
          buildArgs[name] ?? (value === undefined ? undefined : expand(value, lookup, line)),
        );
      continue;
    }
    stage.body.push(instruction);
    const sources = sourcesOf(instruction, stages);
    if (sources.length > 0) stage.sources.set(instruction, sources);
  }
  if (stages.length === 0)
    throw new UnsupportedDockerfileError(
      0,
      'FROM',
      'the Dockerfile has no FROM',
      'add a FROM line',
    );
  return { globalArgs, globalNames: new Set(globals.keys()), stages, fromReferences };
}

/** Resolves a `--from` value against the stages defined so far (BuildKit's toCommand). */
function resolveFrom(value: string, stages: Stage[], line: number, allowIndex: boolean): Source {
  const dollar = value.indexOf('$');
  if (dollar >= 0 && dollar !== value.length - 1)
    throw new UnsupportedDockerfileError(
      line,
      '--from with a variable',
      'BuildKit does not expand variables in --from',
      'define a stage with `FROM ${VAR} AS name` (ARG in the global scope) and use --from=name',
    );
  const current = stages.length - 1;
  if (allowIndex && /^[0-9]+$/.test(value)) {
    const index = Number(value);
    if (index >= current)
      throw new UnsupportedDockerfileError(
        line,
        `--from=${value}`,
        `stage ${index} is not defined before this stage`,
        `refer to an earlier stage on line ${line}`,
      );
    return { stage: index };
  }
  const byName = stages.find((stage) => stage.name === value.toLowerCase());
  if (byName) {
    if (byName.index === current)
      throw new UnsupportedDockerfileError(
        line,
        `--from=${value}`,
        'a stage cannot copy from itself',
        `refer to an earlier stage on line ${line}`,
      );
    return { stage: byName.index };
  }
  return { image: value };
}

function sourcesOf(instruction: Instruction, stages: Stage[]): Source[] {
  const line = instruction.startLine;
  if (instruction.keyword === 'COPY') {
    const from = flag(parseFlags(instruction.flags), 'from');
    return from ? [resolveFrom(from, stages, line, true)] : [];
  }
  if (instruction.keyword !== 'RUN') return [];
  const sources: Source[] = [];
  for (const text of parseFlags(instruction.flags).get('mount') ?? []) {
    let from: string | undefined;
    try {
      from = parseMount(text).from;
    } catch (error) {
      throw new UnsupportedDockerfileError(
        line,
        '--mount',
        (error as Error).message,
        `fix the --mount option on line ${line}`,
      );
    }
    if (from) sources.push(resolveFrom(from, stages, line, false));
  }
  return sources;
}

/** Indexes of the stages the target needs, ascending (the target included). */
export function neededStages(stages: Stage[], target: number): number[] {
  const needed = new Set<number>();
  const visit = (index: number) => {
    if (needed.has(index)) return;
    needed.add(index);
    const stage = stages[index]!;
    if (stage.parent !== null) visit(stage.parent);
    for (const sources of stage.sources.values())
      for (const source of sources) if ('stage' in source) visit(source.stage);
  };
  visit(target);
  return [...needed].sort((a, b) => a - b);
}

/** The index of the target stage (the last one when no target is given). */
export function targetIndex(stages: Stage[], target: string | null | undefined): number {
  if (!target) return stages.length - 1;
  const stage = stages.find((candidate) => candidate.name === target.toLowerCase());
  if (stage) return stage.index;
  const names = stages.flatMap((candidate) => (candidate.name ? [candidate.name] : []));
  throw new UnsupportedDockerfileError(
    0,
    `target ${target}`,
    `no stage is named ${target}`,
    names.length
      ? `set the build target to one of the Dockerfile's stages (${names.join(', ')}), or leave it empty to build the last stage`
      : 'the Dockerfile names no stage: leave the build target empty to build its last stage',
  );
}
