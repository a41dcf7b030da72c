/**
 * The readable form of a fingerprint for `prodsprint audit`. The contract carries the
 * fingerprint as a versioned document (its schema belongs to the auditor, behind the API), so
 * this reads it defensively: a field it does not know is shown as '-', never a crash.
 */
type Doc = Record<string, unknown>;

function claimValue(claim: unknown): unknown {
  return claim && typeof claim === 'object' && 'value' in claim
    ? (claim as { value: unknown }).value
    : undefined;
}

function where(claim: unknown): string {
  const evidence =
    claim && typeof claim === 'object'
      ? (claim as { evidence?: Array<{ file: string; line: number }> }).evidence
      : undefined;
  const first = evidence?.[0];
  return first ? `${first.file}:${first.line}` : '';
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '-';
  if (typeof value === 'object') {
    const record = value as Doc;
    if ('framework' in record && 'path' in record)
      return `${String(record.framework)} (${String(record.path)})`;
    if ('tool' in record && 'path' in record)
      return `${String(record.tool)} (${String(record.path)})`;
    if ('path' in record) return String(record.path);
    return JSON.stringify(value);
  }
  return String(value);
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd(),
  );
}

export function renderFingerprint(fingerprint: Doc): string {
  const services = (fingerprint.services as Doc[] | undefined) ?? [];
  const gaps = (fingerprint.gaps as Doc[] | undefined) ?? [];
  const lines: string[] = [
    `Fingerprint v${String(fingerprint.version)}: ${services.length} service${services.length === 1 ? '' : 's'}, ${gaps.length} gap${gaps.length === 1 ? '' : 's'}`,
    '',
  ];
  if (services.length) {
    const header = [
      'SERVICE',
      'PATH',
      'LANGUAGE',
      'FRAMEWORK',
      'PORT',
      'HEALTH',
      'TESTS',
      'MIGRATIONS',
      'DOCKERFILE',
    ];
    const rows = services.map((service) => [
      String(service.name),
      String(service.path),
      text(claimValue(service.language)),
      text(claimValue(service.framework)),
      text(claimValue(service.port)),
      text(claimValue(service.healthEndpoint)),
      text(claimValue(service.tests)),
      text(claimValue(service.migrations)),
      text(claimValue(service.dockerfile)),
    ]);
    lines.push(...table([header, ...rows]), '');
    for (const service of services) {
      const env = ((service.envVars as unknown[] | undefined) ?? []).map(claimValue).map(text);
      if (env.length) lines.push(`${String(service.name)} reads: ${env.join(', ')}`);
      const evidence = ['port', 'framework', 'healthEndpoint']
        .map((key) => where(service[key]))
        .filter(Boolean);
      if (evidence.length) lines.push(`${String(service.name)} evidence: ${evidence.join(', ')}`);
    }
    lines.push('');
  }
  if (gaps.length) {
    lines.push('Gaps:');
    for (const gap of gaps) {
      const at = ((gap.evidence as Array<{ file: string; line: number }> | undefined) ?? [])
        .map((e) => `${e.file}:${e.line}`)
        .join(', ');
      lines.push(`  [${String(gap.severity)}] ${String(gap.message)}${at ? ` (${at})` : ''}`);
      lines.push(`      -> ${String(gap.remediation)}`);
    }
  } else {
    lines.push('No gaps found.');
  }
  return lines.join('\n');
}
