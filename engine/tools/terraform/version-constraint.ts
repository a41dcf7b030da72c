/**
 * Terraform version constraints (`~> 5.80`, `>= 1.2, < 2.0`, `5.100.0`) checked against the
 * versions a provider mirror holds, so a plan can say "the mirror has hashicorp/aws 4.67.0, the
 * stack needs ~> 5.80" before `terraform init` fails with a longer message. The rules are
 * Terraform's ("Version Constraints" in its language docs); semver does the comparisons.
 */
import semver from 'semver';

/** `5.80` → `5.80.0`; null when it is not a version at all. */
function full(version: string): string | null {
  const parts = version.trim().split('.');
  if (parts.length > 3 || parts.some((p) => !/^\d+$/.test(p))) {
    return semver.valid(version.trim());
  }
  while (parts.length < 3) parts.push('0');
  return parts.join('.');
}

/** One constraint term as a semver range, or null when Terraform would not accept it either. */
function termRange(term: string): string | null {
  const match = /^(~>|>=|<=|!=|=|>|<)?\s*(\S+)$/.exec(term.trim());
  if (!match) return null;
  const [, op = '=', raw] = match;
  const version = full(raw!);
  if (!version) return null;
  if (op !== '~>') return op === '!=' ? `<${version} || >${version}` : `${op}${version}`;
  // The rightmost given component may grow: ~> 5.80 is >= 5.80.0 < 6.0.0; ~> 5.80.1 < 5.81.0.
  const given = raw!.split('.').map(Number);
  const upper = given.length >= 3 ? `${given[0]}.${given[1]! + 1}.0` : `${given[0]! + 1}.0.0`;
  return `>=${version} <${upper}`;
}

/** Whether `version` meets every comma-separated term of `constraint`. */
export function satisfiesConstraint(version: string, constraint: string): boolean {
  const v = full(version);
  if (!v) return false;
  return constraint
    .split(',')
    .filter((term) => term.trim() !== '')
    .every((term) => {
      const range = termRange(term);
      return range !== null && semver.satisfies(v, range);
    });
}

/** The newest of `versions` that meets `constraint`, as `terraform init` would choose. */
export function newestSatisfying(versions: string[], constraint: string): string | undefined {
  return versions
    .filter((v) => satisfiesConstraint(v, constraint))
    .sort((a, b) => semver.compare(full(a)!, full(b)!))
    .pop();
}
