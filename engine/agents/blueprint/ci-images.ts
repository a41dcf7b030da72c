/**
 * Which pinned image runs a toolchain version (issue 15): pins.yaml holds one entry per version
 * the mirror serves (`node-20`, `python-3.12`, `golang-1.22`, `temurin-17-jdk`, `maven-17`, …).
 * A version the table lacks gets the nearest newer one (a newer Go or JDK builds code written
 * for an older one), else the newest, and the plan says so: never a silent substitution.
 */

/** Versions are compared numerically part by part: 1.9 < 1.10, 3.9 < 3.12. */
function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export interface PickedImage {
  /** The pins.yaml key. */
  key: string;
  /** The version that key runs. */
  version: string;
  /** Set when it is not the version asked for: what was asked, what runs, why. */
  note: string | null;
}

/**
 * The pin for `family` (`node`, `python`, `golang`, `temurin-<v>-jdk` is written
 * `temurin-*-jdk`) at `wanted`, among the keys of `images`. `max` caps the choice (the newest
 * JDK a Gradle wrapper can run on).
 */
export function pickImage(
  images: Record<string, unknown>,
  family: string,
  wanted: string,
  max?: string,
): PickedImage | null {
  const [prefix, suffix = ''] = family.includes('*') ? family.split('*') : [`${family}-`, ''];
  const versions = Object.keys(images)
    .filter((key) => key.startsWith(prefix!) && key.endsWith(suffix))
    .map((key) => key.slice(prefix!.length, key.length - suffix.length))
    .filter((v) => /^\d+(?:\.\d+)?$/.test(v))
    .filter((v) => max === undefined || compareVersions(v, max) <= 0)
    .sort(compareVersions);
  if (versions.length === 0) return null;
  const exact = versions.find((v) => compareVersions(v, wanted) === 0);
  const chosen =
    exact ?? versions.find((v) => compareVersions(v, wanted) > 0) ?? versions[versions.length - 1]!;
  return {
    key: `${prefix}${chosen}${suffix}`,
    version: chosen,
    note: exact
      ? null
      : `${wanted} is not in the mirror's pin table (templates/ci/pins.yaml); ${chosen} is used`,
  };
}
