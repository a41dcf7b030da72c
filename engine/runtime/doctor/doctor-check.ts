/**
 * One line of `prodsprint doctor`. Declared here rather than taken from the contract, so the
 * checks depend on nothing above engine/system; the system.doctor handler passes them through
 * and the contract's DoctorCheck schema (engine/api/system.contract.ts) checks the same shape.
 */

export interface DoctorCheck {
  id: string;
  title: string;
  status: 'ok' | 'warn' | 'fail';
  /** A failing required check makes the machine unusable; optional ones limit features. */
  required: boolean;
  detail: string;
  remedy?: string;
}

/** An optional check: it never fails the checklist, it warns with a remedy. */
export function optionalCheck(
  id: string,
  title: string,
  result: { ok: true; detail: string } | { ok: false; detail: string; remedy: string },
): DoctorCheck {
  return result.ok
    ? { id, title, required: false, status: 'ok', detail: result.detail }
    : { id, title, required: false, status: 'warn', detail: result.detail, remedy: result.remedy };
}

/**
 * `work`, or what `late()` returns (or throws) when it takes longer than `ms`: doctor answers in
 * seconds even when a probe hangs. (Synchronous work inside `work` cannot be cut short; its I/O
 * waits can.)
 */
export function withTimeout<T>(work: Promise<T>, ms: number, late: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(late());
      } catch (error) {
        reject(error);
      }
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
