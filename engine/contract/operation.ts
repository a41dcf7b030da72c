/**
 * How one operation of the contract is declared: a name, zod schemas for what goes in and
 * what comes out, and where the HTTP adapter exposes it. Part of the contract (zod only).
 */
import type { z } from 'zod';

export interface HttpBinding {
  method: 'GET' | 'POST';
  /** Path under /v1 with `:param` segments taken from the input, e.g. `/runs/:runId`. */
  path: string;
}

export interface OperationSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  name: string;
  summary: string;
  input: I;
  output: O;
  http: HttpBinding;
  /** The issue that builds it, for the Problem an unbuilt operation returns. */
  issue?: number;
}

export function defineOperation<I extends z.ZodType, O extends z.ZodType>(
  spec: OperationSpec<I, O>,
): OperationSpec<I, O> {
  return spec;
}
