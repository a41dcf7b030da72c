/**
 * A Dockerfile that copies build output it does not make (`COPY dist/api api`, as Nx writes
 * them) expects the repository's CI to have run its build before `docker build`. ProdSprint
 * builds from the checkout alone, so it runs that build itself, inside the image build: a first
 * stage (`prodsprint-prebuild`) installs the dependencies from the lockfile through the package
 * mirror and runs the repository's own `build` script; the COPY lines take the output from it
 * (`COPY --from=prodsprint-prebuild /prodsprint-prebuild/dist/api api`). Nothing else in the
 * Dockerfile changes, and the checkout is never written.
 *
 * Only for Node projects whose package.json has a `build` script, and only for sources under the
 * folders builds write to (dist, build, out, .next): a missing source elsewhere is a mistake in
 * the repository, and the build's own "file not found" stays the answer. Pure: text in, text out.
 */
import { parseFlags, flag } from './flags.ts';
import { parseDockerfile, type Instruction } from './parse.ts';
import { splitRawWords, unquoteWords } from './shell-words.ts';

export const PREBUILD_STAGE = 'prodsprint-prebuild';
const PREBUILD_DIR = `/${PREBUILD_STAGE}`;
/** Top-level folders JavaScript builds write their output to. */
const OUTPUT_DIRS = new Set(['dist', 'build', 'out', '.next']);
/** The image the build runs in when the Dockerfile names no Node image of its own. */
const DEFAULT_NODE_IMAGE = 'node:lts-slim';
const NODE_IMAGE = /^(?:docker\.io\/)?(?:library\/)?node(?::[\w.-]{1,128})?$/;

export interface PrebuildInputs {
  /** The Dockerfile as written. */
  text: string;
  /** Whether a context-relative path (`dist/api`) exists in the build context. */
  exists(path: string): boolean;
  /** The context root's package.json, parsed; null when there is none. */
  packageJson: Record<string, unknown> | null;
  /** The install the context's lockfile implies (`npm ci`, pnpm's, yarn's). */
  install: string;
}

export interface Prebuild {
  /** The Dockerfile with the prebuild stage before its first FROM and the COPY lines rewritten. */
  text: string;
  /** The context paths the build makes (`dist/api`). */
  outputs: string[];
  /** The image the build stage runs in. */
  image: string;
  /** What the build stage runs. */
  command: string;
  /** One readable line for the build's notes. */
  note: string;
}

/** `./dist/api/` → `dist/api`; null for anything that is not a plain context path. */
function plainPath(source: string): string | null {
  if (/[$*?[\]]/.test(source) || /^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return null;
  const parts = source.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.length === 0 || parts.includes('..')) return null;
  return parts.join('/');
}

/** A COPY/ADD from the context: its sources as plain paths and its destination (null: not all plain). */
function contextCopy(instruction: Instruction): { sources: string[]; destination: string } | null {
  if (!['COPY', 'ADD'].includes(instruction.keyword) || instruction.heredocs.length > 0)
    return null;
  if (flag(parseFlags(instruction.flags), 'from') !== undefined) return null;
  const words = instruction.json ?? unquoteWords(splitRawWords(instruction.args).join(' '));
  if (words.length < 2) return null;
  const sources = words.slice(0, -1).map(plainPath);
  return sources.every((source): source is string => source !== null)
    ? { sources, destination: words.at(-1)! }
    : null;
}

/** The first `FROM` image of the file that is a Node image, else the default. */
function nodeImageOf(instructions: Instruction[]): string {
  for (const instruction of instructions) {
    if (instruction.keyword !== 'FROM') continue;
    const image = splitRawWords(instruction.args).find((word) => !word.startsWith('--'));
    if (image && NODE_IMAGE.test(image)) return image;
  }
  return DEFAULT_NODE_IMAGE;
}

export function planPrebuild(inputs: PrebuildInputs): Prebuild | null {
  const scripts = inputs.packageJson?.scripts;
  const hasBuild =
    typeof scripts === 'object' &&
    scripts !== null &&
    typeof (scripts as Record<string, unknown>).build === 'string';
  if (!hasBuild) return null;
  const { instructions } = parseDockerfile(inputs.text);
  const rewrites = new Map<Instruction, { sources: string[]; destination: string }>();
  for (const instruction of instructions) {
    const copy = contextCopy(instruction);
    if (!copy) continue;
    const made = copy.sources.filter(
      (source) => !inputs.exists(source) && OUTPUT_DIRS.has(source.split('/')[0]!),
    );
    // All or nothing: a COPY that mixes build output with files of the repository is left as
    // written (its failure names the missing file).
    if (made.length > 0 && made.length === copy.sources.length) rewrites.set(instruction, copy);
  }
  if (rewrites.size === 0) return null;

  const outputs = [...new Set([...rewrites.values()].flatMap((copy) => copy.sources))];
  const image = nodeImageOf(instructions);
  const command = `${inputs.install} && npm run build`;
  const lines = inputs.text.split('\n');
  const firstFrom = instructions.find((instruction) => instruction.keyword === 'FROM');
  if (!firstFrom) return null;
  const out: string[] = [];
  const stage = [
    `# Added by ProdSprint: the build the repository runs before \`docker build\` (its COPY lines take ${outputs.join(', ')}).`,
    `FROM ${image} AS ${PREBUILD_STAGE}`,
    `WORKDIR ${PREBUILD_DIR}`,
    // Nx: no daemon in a one-off build, and no remote cache to reach.
    'ENV NX_DAEMON=false NX_NO_CLOUD=true',
    'COPY . .',
    `RUN ${command}`,
    '',
  ];
  let line = 1;
  for (const instruction of instructions) {
    out.push(...lines.slice(line - 1, instruction.startLine - 1));
    if (instruction === firstFrom) out.push(...stage);
    const copy = rewrites.get(instruction);
    const numbered = /^from=(\d+)$/.exec(instruction.flags.find((f) => /^from=\d+$/.test(f)) ?? '');
    if (copy) {
      out.push(
        [
          'COPY',
          `--from=${PREBUILD_STAGE}`,
          ...instruction.flags.map((f) => `--${f}`),
          ...copy.sources.map((source) => `${PREBUILD_DIR}/${source}`),
          copy.destination,
        ].join(' '),
      );
    } else if (numbered) {
      // A stage is now in front: numbered references move up by one.
      const text = lines.slice(instruction.startLine - 1, instruction.endLine).join('\n');
      out.push(text.replace(`--from=${numbered[1]}`, `--from=${Number(numbered[1]) + 1}`));
    } else out.push(...lines.slice(instruction.startLine - 1, instruction.endLine));
    line = instruction.endLine + 1;
  }
  out.push(...lines.slice(line - 1));
  return {
    text: out.join('\n'),
    outputs,
    image,
    command,
    note: `the Dockerfile copies ${outputs.join(', ')}, which a build makes before \`docker build\` (not in the repository): ProdSprint runs the repository's build (\`${command}\`, FROM ${image}) in a first stage and copies from it`,
  };
}
