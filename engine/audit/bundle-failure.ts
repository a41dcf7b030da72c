/** The first thing wrong with a bundle: the file, the line and entry where known, and why. */
export interface BundleProblem {
  file: string;
  line?: number;
  seq?: number;
  reason: string;
}

/** Thrown by the checks to stop at the first problem; verifyAuditBundle turns it into a result. */
export class BundleFailure extends Error {
  readonly problem: BundleProblem;
  constructor(problem: BundleProblem) {
    super(problem.reason);
    this.problem = problem;
  }
}

export function fail(
  file: string,
  reason: string,
  at: { line?: number; seq?: number } = {},
): never {
  throw new BundleFailure({ file, reason, ...at });
}

export function splitLines(file: string, text: string): string[] {
  if (text === '') return [];
  if (!text.endsWith('\n')) fail(file, 'last line is not terminated (file truncated?)');
  return text.slice(0, -1).split('\n');
}

export function parseJson<T>(
  file: string,
  text: string,
  at: { line?: number; seq?: number } = {},
): T {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null) return fail(file, 'not a JSON object', at);
    return value as T;
  } catch (error) {
    if (error instanceof BundleFailure) throw error;
    return fail(file, 'not valid JSON', at);
  }
}
