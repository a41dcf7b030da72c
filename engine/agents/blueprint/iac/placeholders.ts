/**
 * Values for the stack's required variables when `terraform plan` runs as the plan's self-check
 * (issue 15): syntactically valid for what the provider checks at plan time (an ARN, a zone ID,
 * an image digest, a CIDR) and obviously not real, from documentation ranges and zero account
 * IDs. The plan lists every variable it filled this way.
 */

/** A placeholder for variable `name` in `region`. */
export function placeholderFor(name: string, region: string): string {
  if (name.includes('kms')) {
    return `arn:aws:kms:${region}:000000000000:key/00000000-0000-0000-0000-000000000000`;
  }
  if (name.endsWith('_arn')) return 'arn:aws:iam::000000000000:role/plan-only';
  if (name.endsWith('zone_id')) return 'Z0000000000PLANONLY';
  if (name.endsWith('_image') || name.endsWith('_digest')) return `sha256:${'0'.repeat(64)}`;
  if (name.endsWith('_cidr')) return '192.0.2.0/24';
  if (name.endsWith('_address') || name.endsWith('_url')) return 'https://plan-only.invalid';
  return 'plan-only';
}
