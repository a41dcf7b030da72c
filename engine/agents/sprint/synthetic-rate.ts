/** Responses a canary analysis window needs before it judges (releases' default threshold). */
const CANARY_MIN_RESPONSES = 10;
const FIRST_CANARY_SHARE = 0.01;

/**
 * The synthetic users' rate: enough that the 1% step sees twice the responses an analysis
 * window needs, or every window would be inconclusive and the release would fail closed. This
 * is what a load-tester hook does for Flagger; real users do it in a real prod.
 */
export function syntheticRate(windowSeconds: number): number {
  return Math.max(
    100,
    Math.ceil((2 * CANARY_MIN_RESPONSES) / (FIRST_CANARY_SHARE * windowSeconds)),
  );
}
