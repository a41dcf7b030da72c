import { describe, expect, it } from 'vitest';
import { compareMavenVersions } from './maven-version.ts';

// Orderings from Maven's own ComparableVersionTest (each list is strictly increasing).
const QUALIFIER_ORDER = [
  '1-alpha2snapshot',
  '1-alpha2',
  '1-alpha-123',
  '1-beta-2',
  '1-beta123',
  '1-m2',
  '1-m11',
  '1-rc',
  '1-cr2',
  '1-rc123',
  '1-SNAPSHOT',
  '1',
  '1-sp',
  '1-sp2',
  '1-sp123',
  '1-abc',
  '1-def',
  '1-pom-1',
  '1-1-snapshot',
  '1-1',
  '1-2',
  '1-123',
];

const NUMBER_ORDER = [
  '2.0',
  '2.0.a',
  '2-1',
  '2.0.2',
  '2.0.123',
  '2.1.0',
  '2.1-a',
  '2.1b',
  '2.1-c',
  '2.1-1',
  '2.1.0.1',
  '2.2',
  '2.123',
  '11.a2',
  '11.a11',
  '11.b2',
  '11.b11',
  '11.m2',
  '11.m11',
  '11',
  '11.a',
  '11b',
  '11c',
  '11m',
];

const EQUAL: Array<[string, string]> = [
  ['1', '1.0'],
  ['1', '1.0.0'],
  ['1.0', '1-0'],
  ['1', '1.0-0'],
  ['1ga', '1'],
  ['1final', '1'],
  ['1.0.0-GA', '1'],
  ['1release', '1'],
  ['1cr', '1rc'],
  ['1a1', '1-alpha-1'],
  ['1b2', '1-beta-2'],
  ['1m3', '1-milestone-3'],
  ['1X', '1x'],
];

describe('compareMavenVersions', () => {
  it.each([
    ['qualifiers', QUALIFIER_ORDER],
    ['numbers', NUMBER_ORDER],
  ])('orders the %s sequence strictly', (_label, sequence) => {
    for (let i = 0; i < sequence.length; i += 1) {
      for (let j = i + 1; j < sequence.length; j += 1) {
        expect(
          compareMavenVersions(sequence[i]!, sequence[j]!),
          `${sequence[i]} < ${sequence[j]}`,
        ).toBe(-1);
        expect(
          compareMavenVersions(sequence[j]!, sequence[i]!),
          `${sequence[j]} > ${sequence[i]}`,
        ).toBe(1);
      }
    }
  });

  it.each(EQUAL)('treats %s and %s as equal', (a, b) => {
    expect(compareMavenVersions(a, b)).toBe(0);
    expect(compareMavenVersions(b, a)).toBe(0);
  });

  it('compares numbers numerically, beyond 2^53', () => {
    expect(compareMavenVersions('1.10', '1.9')).toBe(1);
    expect(compareMavenVersions('1.90071992547409910', '1.90071992547409911')).toBe(-1);
  });
});
