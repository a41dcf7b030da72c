/**
 * planLegacyBuild: a repository's own Dockerfile, as BuildKit would build it, rewritten for the
 * Docker Engine's legacy builder (the only builder here: dockerd 20.10, no BuildKit, no
 * registry). Pure: text in, plan out. The plan keeps only the stages the target needs (BuildKit
 * skips the others; the legacy builder would parse and build them all), rewrites BuildKit-only
 * syntax exactly or refuses it with an UnsupportedDockerfileError naming the line and the fix,
 * declares the args ProdSprint injects (package-mirror URLs) after every FROM, and lists what the
 * build needs from outside: base images and the package managers its RUN steps call.
 */
import { UnsupportedDockerfileError } from './errors.ts';
import { packageToolsIn, type PackageTool } from './package-tools.ts';
import { parseDockerfile, type Instruction, type ParsedDockerfile } from './parse.ts';
import {
  neededStages,
  PLATFORM_ARGS,
  splitStages,
  stageLabel,
  targetIndex,
  type Stage,
} from './stages.ts';
import { SIDE_STAGE, translateCopy, type SideFile } from './translate-copy.ts';
import { translateRun } from './translate-run.ts';

export interface PlanOptions {
  /** The stage to build (`--target`); null or absent = the last stage. */
  target?: string | null;
  buildArgs?: Record<string, string>;
  /** Args declared after every kept FROM, e.g. NPM_CONFIG_REGISTRY (values go in buildArgs). */
  injectArgs?: string[];
}

export interface LegacyBuildPlan {
  /** The translated text for the legacy builder. */
  dockerfile: string;
  /** What to pass as the build's `target` (null = last stage). */
  target: string | null;
  /** The needed stages, in order; `index` is the stage's index in the original file. */
  stages: Array<{
    index: number;
    name: string | null;
    from: string;
    external: boolean;
    line: number;
  }>;
  /** Base images from outside, after ARG substitution; unique; no `scratch`, no stage names. */
  externalImages: Array<{ reference: string; stage: string; line: number }>;
  /** The package managers the RUN steps of the needed stages call. */
  packageManagers: Array<{ tool: PackageTool; line: number }>;
  /** Every change, readable: `line 12: dropped --mount=type=cache,…`. */
  notes: string[];
  /** The given build args plus BuildKit's automatic platform args for linux/amd64. */
  buildArgs: Record<string, string>;
  /** Files the side image must hold (heredoc COPY, --chmod); empty when none. */
  sideFiles: SideFile[];
}

/** The build arg naming the side image (see side-files.ts); its default is never built. */
export const SIDE_IMAGE_ARG = 'PRODSPRINT_SIDE_IMAGE';
const DEFAULT_SIDE_IMAGE = 'prodsprint-side-image-not-built';
const KEYWORDS = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);
const ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function original(parsed: ParsedDockerfile, instruction: Instruction): string {
  const text = parsed.lines.slice(instruction.startLine - 1, instruction.endLine).join('');
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/** Plans a legacy build of `text`; throws UnsupportedDockerfileError when it cannot be exact. */
export function planLegacyBuild(text: string, options: PlanOptions = {}): LegacyBuildPlan {
  const parsed = parseDockerfile(text);
  const given = options.buildArgs ?? {};
  for (const name of options.injectArgs ?? [])
    if (!ARG_NAME.test(name))
      throw new Error(`cannot inject ARG ${JSON.stringify(name)}: not an ARG name`);
  const { globalArgs, globalNames, stages, fromReferences } = splitStages(parsed, given);
  const target = targetIndex(stages, options.target);
  const needed = neededStages(stages, target);
  const notes: string[] = [];
  for (const directive of parsed.directives)
    if (directive.name !== 'escape')
      notes.push(
        `line ${directive.line}: dropped the \`# ${directive.name}=${directive.value}\` directive (the legacy builder has no frontends)`,
      );
  for (const stage of stages) {
    if (needed.includes(stage.index)) continue;
    const last = stage.body.at(-1) ?? stage.from;
    notes.push(
      `lines ${stage.from.startLine}-${last.endLine}: removed stage ${stageLabel(stage)} (the target ${stageLabel(stages[target]!)} does not need it)`,
    );
  }
  const needsSide = needed.some((index) =>
    stages[index]!.body.some(
      (instruction) =>
        (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') &&
        (instruction.heredocs.length > 0 ||
          instruction.flags.some((word) => /^chmod=/i.test(word))),
    ),
  );
  const renumber = new Map(needed.map((old, position) => [old, position + (needsSide ? 1 : 0)]));
  const out: string[] = [];
  if (parsed.escape === '`') out.push('# escape=`');
  const referenced = new Set(needed.flatMap((index) => [...(fromReferences.get(index) ?? [])]));
  for (const name of Object.keys(PLATFORM_ARGS))
    if (referenced.has(name) && !globalNames.has(name)) {
      out.push(`ARG ${name}`);
      notes.push(`line 1: declared ARG ${name} for FROM (BuildKit sets it without a declaration)`);
    }
  if (needsSide) out.push(`ARG ${SIDE_IMAGE_ARG}=${DEFAULT_SIDE_IMAGE}`);
  for (const instruction of globalArgs) out.push(original(parsed, instruction));
  if (needsSide) out.push(`FROM \${${SIDE_IMAGE_ARG}} AS ${SIDE_STAGE}`);

  const sideFiles: SideFile[] = [];
  const packageManagers: LegacyBuildPlan['packageManagers'] = [];
  const shells = new Map<number, string[]>();
  for (const index of needed) {
    const stage = stages[index]!;
    const fromRef = (from: string) =>
      /^[0-9]+$/.test(from) ? String(renumber.get(Number(from)) ?? from) : from;
    out.push(fromLine(parsed, stage, notes));
    for (const name of options.injectArgs ?? []) out.push(`ARG ${name}`);
    let shell = stage.parent === null ? ['/bin/sh', '-c'] : shells.get(stage.parent)!;
    for (const instruction of stage.body) {
      const line = instruction.startLine;
      if (!KEYWORDS.has(instruction.keyword))
        throw new UnsupportedDockerfileError(
          line,
          `instruction ${instruction.keyword}`,
          'Docker has no such instruction',
          `fix or remove line ${line}`,
        );
      let lines: string[] | undefined;
      if (instruction.keyword === 'RUN') {
        const run = translateRun(instruction, { shell, fromRef, notes });
        lines = run.lines;
        for (const tool of packageToolsIn(run.script)) packageManagers.push({ tool, line });
      } else if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
        lines = translateCopy(instruction, { fromRef, notes, sideFiles });
      } else if (instruction.keyword === 'SHELL' && instruction.json) {
        shell = instruction.json;
      } else if (instruction.keyword === 'HEALTHCHECK') {
        lines = healthcheck(instruction, notes);
      } else if (instruction.keyword === 'ONBUILD' && instruction.heredocs.length > 0) {
        throw new UnsupportedDockerfileError(
          line,
          'ONBUILD with a heredoc',
          'the legacy builder cannot parse it',
          `write the ONBUILD step on line ${line} without a heredoc`,
        );
      }
      out.push(...(lines ?? [original(parsed, instruction)]));
    }
    shells.set(index, shell);
  }
  return {
    dockerfile: `${out.join('\n')}\n`,
    target: options.target ? stages[target]!.name : null,
    stages: needed.map((index) => {
      const stage = stages[index]!;
      return {
        index,
        name: stage.name,
        from: stage.base,
        external: stage.parent === null && stage.base.toLowerCase() !== 'scratch',
        line: stage.from.startLine,
      };
    }),
    externalImages: externalImages(needed.map((index) => stages[index]!)),
    packageManagers,
    notes,
    buildArgs: { ...given, ...PLATFORM_ARGS },
    sideFiles,
  };
}

function fromLine(parsed: ParsedDockerfile, stage: Stage, notes: string[]): string {
  const line = stage.from.startLine;
  if (stage.from.flags.length === 0) return original(parsed, stage.from);
  for (const word of stage.from.flags) {
    if (!/^platform=/i.test(word))
      throw new UnsupportedDockerfileError(
        line,
        `FROM --${word}`,
        'FROM has no such option',
        `remove --${word} from line ${line}`,
      );
    notes.push(`line ${line}: dropped --${word} (this engine builds linux/amd64 only)`);
  }
  return `FROM ${stage.from.args}`;
}

function healthcheck(instruction: Instruction, notes: string[]): string[] | undefined {
  const line = instruction.startLine;
  const kept = instruction.flags.filter((word) => !/^start-interval=/i.test(word));
  if (kept.length === instruction.flags.length) return undefined;
  notes.push(
    `line ${line}: dropped HEALTHCHECK --start-interval (Docker 20.10 does not know it; checks run at --interval from the start)`,
  );
  return [['HEALTHCHECK', ...kept.map((word) => `--${word}`), instruction.args].join(' ')];
}

function externalImages(stages: Stage[]): LegacyBuildPlan['externalImages'] {
  const images: LegacyBuildPlan['externalImages'] = [];
  const add = (reference: string, stage: Stage, line: number) => {
    if (
      reference.toLowerCase() === 'scratch' ||
      images.some((image) => image.reference === reference)
    )
      return;
    images.push({ reference, stage: stageLabel(stage), line });
  };
  for (const stage of stages) {
    if (stage.parent === null) add(stage.base, stage, stage.from.startLine);
    for (const [instruction, sources] of stage.sources)
      for (const source of sources)
        if ('image' in source) add(source.image, stage, instruction.startLine);
  }
  return images;
}
