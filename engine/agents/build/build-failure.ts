/**
 * Why an image build failed, read from the builder's output (issue 14). Builds run without
 * internet: an install step that tried to reach a package registry fails with a resolver or
 * connection error, and the caller must then say which package mirror is missing (npm, PyPI,
 * the Go proxy, Maven…) instead of showing a wall of npm output. Other failures are a step that
 * failed, a base image the engine does not have, or the engine itself.
 */
import { packageToolsIn, type PackageTool } from './dockerfile/package-tools.ts';

export type BuildFailureCause =
  | { kind: 'network'; tool?: PackageTool; host?: string }
  /** `versionSign`: the output line that says the runtime's version is the trouble, if any. */
  | { kind: 'step'; versionSign?: string }
  | { kind: 'base-image'; image?: string }
  /** The app checked its environment at build time and variables were missing (t3-env, zod). */
  | { kind: 'configuration'; variables: string[] }
  | { kind: 'engine' };

/**
 * Output that says a step failed because of the runtime's version (an `engines` range, a native
 * module that does not build on this Node, syntax or bytecode the runtime does not know): the
 * signs that a stand-in of another major is the likely cause, and not the step itself.
 */
const VERSION_SIGNS = [
  'Unsupported engine',
  'is incompatible with this module',
  'engine "node"',
  'gyp ERR!',
  'node-sass',
  'ERR_REQUIRE_ESM',
  'ERR_OSSL_EVP_UNSUPPORTED',
  'digital envelope routines',
  'SyntaxError',
  'UnsupportedClassVersionError',
  'invalid target release',
  'invalid source release',
  'go.mod requires go',
  'requires go >=',
  'Requires-Python',
  'requires a different Python',
  'python_requires',
];

/** ANSI colour sequences builders leave in step output (`ESC[91m`); ESC is matched on purpose. */
// eslint-disable-next-line no-control-regex
const ANSI_COLOUR = /\x1b\[[0-9;]{0,20}m/g;

/** The first output line showing a version sign, without colours, trimmed to a readable length. */
function versionSignIn(output: string[]): string | undefined {
  const line = output.find((text) => VERSION_SIGNS.some((sign) => text.includes(sign)));
  return line?.replace(ANSI_COLOUR, '').trim().slice(0, 160);
}

/** What @t3-oss/env (create-t3-app and its kin) prints when the build's environment fails its schema. */
const ENV_VALIDATION_SIGN = 'Invalid environment variables';
/** `path: [ 'AUTH_SECRET' ],` in its issue list. */
const ENV_PATH = /path: \[ '([A-Za-z_][A-Za-z0-9_]{0,100})' \]/;

/** Variables an env-validation failure names, in order, once each; null when it is none. */
function missingVariables(output: string[]): string[] | null {
  if (!output.some((line) => line.includes(ENV_VALIDATION_SIGN))) return null;
  const names = output.flatMap((line) => ENV_PATH.exec(line)?.[1] ?? []);
  return [...new Set(names)];
}

/** Output signatures of a step that could not reach the network (matched as plain substrings). */
const NETWORK_SIGNS = [
  'npm ERR! network',
  'npm error network',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'ENETUNREACH',
  'getaddrinfo',
  'Could not resolve host',
  'Failed to establish a new connection',
  'Temporary failure in name resolution',
  'Temporary failure resolving',
  'Name or service not known',
  'Network is unreachable',
  'proxy.golang.org',
  'dial tcp',
  'Could not transfer artifact',
  'Could not resolve dependencies',
  'UnknownHostException',
  // Maven with no route to Central: a cached transfer failure, a plugin it could not resolve.
  'failed to transfer from',
  'No plugin found for prefix',
  // Gradle
  'Could not GET',
  'Could not resolve all',
  'Could not connect to',
  'network is unreachable',
];

/**
 * The host a failed request named (`request to https://codeload.github.com/… failed`,
 * `getaddrinfo EAI_AGAIN host`, curl's `Could not resolve host: host`, apt's `Temporary failure
 * resolving 'host'`). Linear patterns over builder output, which is untrusted text.
 */
const HOST_SIGNS = [
  /request to https?:\/\/([a-z0-9.-]{1,253})[/:]/i,
  /(?:EAI_AGAIN|ENOTFOUND) ([a-z0-9.-]{1,253})/i,
  /Could not resolve host: ([a-z0-9.-]{1,253})/i,
  /Temporary failure resolving '([a-z0-9.-]{1,253})'/i,
  /Unknown host ([a-z0-9.-]{1,253})/i,
];

/** The first host a failed request named, if the output names one. */
export function failedHostIn(text: string): string | undefined {
  for (const sign of HOST_SIGNS) {
    const host = sign.exec(text)?.[1];
    if (host && host.includes('.')) return host.toLowerCase();
  }
  return undefined;
}

/** Which tool's output a line looks like, when the step's command does not say. */
const TOOL_SIGNS: Array<[string, PackageTool]> = [
  ['npm ERR!', 'npm'],
  ['npm error', 'npm'],
  ['yarn', 'yarn'],
  ['pnpm', 'pnpm'],
  ['pip', 'pip'],
  ['proxy.golang.org', 'go'],
  ['go: ', 'go'],
  ['[ERROR] Failed to execute goal', 'mvn'],
  ['Could not transfer artifact', 'mvn'],
  ['repo.maven.apache.org', 'mvn'],
  ['No plugin found for prefix', 'mvn'],
  ['gradle', 'gradle'],
  ['apt', 'apt'],
  ['Temporary failure resolving', 'apt'],
  ['apk', 'apk'],
  ['cargo', 'cargo'],
  ['composer', 'composer'],
  ['bundle', 'bundle'],
  ['gem', 'gem'],
  ['dotnet', 'dotnet'],
  ['NuGet', 'dotnet'],
];

/** The shell text of a `Step n/m : RUN …` line (exec form joined). */
function commandOf(step: string): string {
  const run = step.replace(/^Step \d+\/\d+ : RUN /, '');
  if (!run.startsWith('[')) return run;
  try {
    const words = JSON.parse(run) as unknown;
    return Array.isArray(words) ? words.join('\n') : run;
  } catch {
    return run;
  }
}

/**
 * Classifies a failure from the failing step, the lines it printed and the builder's message.
 */
export function classifyBuildFailure(
  step: string | undefined,
  output: string[],
  message: string,
): BuildFailureCause {
  if (
    /pull access denied|manifest unknown|not found: manifest|repository does not exist|No such image/i.test(
      message,
    )
  ) {
    const image = /(?:pull access denied for|No such image:|manifest for) ([^\s,]+)/i.exec(
      message,
    )?.[1];
    return { kind: 'base-image', ...(image ? { image } : {}) };
  }
  const at = step?.indexOf(' : FROM ') ?? -1;
  if (step && at >= 0 && /^Step \d+\/\d+$/.test(step.slice(0, at))) {
    const image = step
      .slice(at + 8)
      .split(' ')
      .find((word) => word && !word.startsWith('--'));
    return { kind: 'base-image', ...(image ? { image } : {}) };
  }
  if (!step) return { kind: 'engine' };
  const variables = missingVariables(output);
  if (variables) return { kind: 'configuration', variables };
  const text = [...output, message].join('\n');
  if (!NETWORK_SIGNS.some((sign) => text.includes(sign))) {
    const versionSign = versionSignIn(output);
    return versionSign ? { kind: 'step', versionSign } : { kind: 'step' };
  }
  const host = failedHostIn(text);
  const where = host ? { host } : {};
  const fromCommand = packageToolsIn(commandOf(step));
  if (fromCommand.length === 1) return { kind: 'network', tool: fromCommand[0], ...where };
  const fromOutput = TOOL_SIGNS.find(
    ([sign, tool]) =>
      text.includes(sign) && (fromCommand.length === 0 || fromCommand.includes(tool)),
  );
  if (fromOutput) return { kind: 'network', tool: fromOutput[1], ...where };
  return fromCommand[0]
    ? { kind: 'network', tool: fromCommand[0], ...where }
    : { kind: 'network', ...where };
}
