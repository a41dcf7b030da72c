/**
 * Pure traffic arithmetic shared by targets: validating a split and turning percent per version
 * into router weights per instance.
 */
import { TargetError } from './errors.ts';
import type { TrafficWeights } from './target.ts';

/** Throws unless every share is a whole percent 0-100 and they sum to exactly 100. */
export function validateTraffic(weights: TrafficWeights): void {
  const entries = Object.entries(weights);
  if (entries.length === 0) throw new TargetError('a traffic split needs at least one version');
  for (const [version, percent] of entries) {
    if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
      throw new TargetError(`traffic for ${version} must be a whole percent 0-100, got ${percent}`);
    }
  }
  const total = entries.reduce((sum, [, percent]) => sum + percent, 0);
  if (total !== 100) throw new TargetError(`traffic must sum to 100%, got ${total}%`);
}

/**
 * Splits a version's percent over its instances so the instance weights sum to the percent
 * exactly (25 over 2 → 13 + 12): the version's share stays exact whatever the replica counts.
 */
export function instanceWeights(percent: number, instances: string[]): Record<string, number> {
  const base = Math.floor(percent / instances.length);
  const extra = percent - base * instances.length;
  return Object.fromEntries(instances.map((name, i) => [name, base + (i < extra ? 1 : 0)]));
}

/** The inverse of instanceWeights over many versions: percent per version from weights. */
export function versionShares(
  weights: Record<string, number>,
  versionOf: (instance: string) => string | undefined,
): TrafficWeights {
  const shares: TrafficWeights = {};
  for (const [instance, weight] of Object.entries(weights)) {
    const version = versionOf(instance);
    if (version !== undefined) shares[version] = (shares[version] ?? 0) + weight;
  }
  return shares;
}
