/**
 * The error every stage throws when something the sprint needs cannot be had on this machine
 * without the network (issue 14): a base image, a package mirror, a runtime, a backing service,
 * vulnerability data, a tool. ProdSprint never downloads (ARCHITECTURE.md invariant 8), so the
 * only way forward is for a person to supply that input: the error names it, and its remedy says
 * exactly how (never empty). Stages turn it into a blocked stage with that remedy; `doctor`
 * lists the same inputs up front.
 */

import { EngineError } from '../contract/problem.ts';

/** What kind of offline input is missing. */
export type OfflineInputKind =
  'base-image' | 'package-mirror' | 'runtime' | 'backing-service' | 'vulnerability-data' | 'tool';

export interface OfflineInput {
  kind: OfflineInputKind;
  /** What exactly: `node:18-alpine`, `npm`, `go 1.22`, `mongodb`, … */
  name: string;
}

/** Something the machine cannot have without the network: the same Problem as a missing tool. */
export class OfflineInputMissingError extends EngineError {
  readonly input: OfflineInput;
  readonly detail: string;
  declare readonly remedy: string;

  constructor(input: OfflineInput, detail: string, remedy: string) {
    if (!remedy.trim()) throw new Error(`an offline input error needs a remedy (${input.name})`);
    super('tool-missing', `${input.kind} ${input.name} is not available: ${detail}`, remedy);
    this.name = 'OfflineInputMissingError';
    this.input = input;
    this.detail = detail;
  }
}

export function isOfflineInputMissing(error: unknown): error is OfflineInputMissingError {
  return error instanceof OfflineInputMissingError;
}
