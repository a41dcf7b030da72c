import { describe, expect, it } from 'vitest';
import { instanceWeights, validateTraffic, versionShares } from './traffic.ts';

describe('validateTraffic', () => {
  it('accepts whole percents that sum to 100', () => {
    expect(() => validateTraffic({ v1: 99, v2: 1 })).not.toThrow();
    expect(() => validateTraffic({ v1: 100, v2: 0 })).not.toThrow();
  });

  it('rejects splits that do not sum to 100, fractions, negatives and empty splits', () => {
    expect(() => validateTraffic({ v1: 60, v2: 30 })).toThrow(/sum to 100%, got 90%/);
    expect(() => validateTraffic({ v1: 99.5, v2: 0.5 })).toThrow(/whole percent/);
    expect(() => validateTraffic({ v1: 110, v2: -10 })).toThrow(/whole percent/);
    expect(() => validateTraffic({})).toThrow(/at least one/);
  });
});

describe('instanceWeights', () => {
  it('spreads a percent over instances so they sum to it exactly', () => {
    expect(instanceWeights(25, ['a', 'b'])).toEqual({ a: 13, b: 12 });
    expect(instanceWeights(1, ['a', 'b', 'c'])).toEqual({ a: 1, b: 0, c: 0 });
    expect(instanceWeights(100, ['a'])).toEqual({ a: 100 });
  });
});

describe('versionShares', () => {
  it('adds instance weights per version and ignores servers of no known version', () => {
    const versionOf = (server: string) => ({ v1_0: 'v1', v1_1: 'v1', v2_0: 'v2' })[server];
    expect(versionShares({ v1_0: 38, v1_1: 37, v2_0: 25, other: 9 }, versionOf)).toEqual({
      v1: 75,
      v2: 25,
    });
  });
});
