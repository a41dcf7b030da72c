import { describe, expect, it } from 'vitest';
import { newestSatisfying, satisfiesConstraint } from './version-constraint.ts';

describe('Terraform version constraints', () => {
  it('given ~> on two components, then only the minor may grow', () => {
    expect(satisfiesConstraint('5.100.0', '~> 5.80')).toBe(true);
    expect(satisfiesConstraint('5.79.9', '~> 5.80')).toBe(false);
    expect(satisfiesConstraint('6.0.0', '~> 5.80')).toBe(false);
  });

  it('given ~> on three components, then only the patch may grow', () => {
    expect(satisfiesConstraint('5.80.9', '~> 5.80.1')).toBe(true);
    expect(satisfiesConstraint('5.81.0', '~> 5.80.1')).toBe(false);
  });

  it('given several terms and bare versions, then every term must hold', () => {
    expect(satisfiesConstraint('1.5.0', '>= 1.2, < 2.0')).toBe(true);
    expect(satisfiesConstraint('2.0.0', '>= 1.2, < 2.0')).toBe(false);
    expect(satisfiesConstraint('3.4.0', '3.4.0')).toBe(true);
    expect(satisfiesConstraint('3.4.0', '!= 3.4.0')).toBe(false);
    expect(satisfiesConstraint('3.4.0', 'nonsense')).toBe(false);
  });

  it('picks the newest mirrored version that fits, as terraform init does', () => {
    expect(newestSatisfying(['4.67.0', '5.80.0', '5.100.0', '6.1.0'], '~> 5.80')).toBe('5.100.0');
    expect(newestSatisfying(['4.67.0'], '~> 5.80')).toBeUndefined();
  });
});
