import { describe, expect, it } from 'vitest';
import { GATE_ERROR_RULE } from './decision.ts';
import { evaluateGate, gateQuery } from './evaluate.ts';
import { loadPack } from './pack.ts';
import type { GateInput } from './input.ts';

const manifest = JSON.stringify({ revision: 'r1', roots: ['t/gate'], metadata: { name: 't' } });

function pack(rego: string, data = '{}') {
  return loadPack([
    { path: '.manifest', content: manifest },
    { path: 'gate.rego', content: `package t.gate\n\n${rego}` },
    { path: 'data.json', content: data },
  ]);
}

function input(patch: Partial<GateInput> = {}): GateInput {
  return {
    time: '2026-11-25T10:00:00Z',
    environment: 'production',
    change: { reference: 'CHG-1', author: 'ann' },
    coverage: { linesPct: 90, threshold: null, thresholdSource: 'pack' },
    sbom: { present: true, format: 'CycloneDX 1.6', components: 3 },
    vulns: [],
    perf: null,
    cost: { monthly: 1, ceiling: 2, currency: 'USD' },
    approvals: [],
    freezeWindows: [],
    waivers: [],
    audit: { retentionDays: 400, signed: true },
    iac: null,
    ...patch,
  };
}

const vulnDeny = `deny contains {"rule": "r.vuln", "subject": v.id, "msg": sprintf("bad %s", [v.id]), "severity": "HIGH", "remediation": "upgrade"} if {
  some v in input.vulns
}`;
const twoVulns = [
  { id: 'CVE-1', severity: 'HIGH' as const, package: 'a', installed: '1', fixed: null },
  { id: 'CVE-2', severity: 'HIGH' as const, package: 'b', installed: '1', fixed: null },
];

describe('evaluateGate', () => {
  it('allows when the deny set is empty', () => {
    expect(evaluateGate(pack(vulnDeny), input())).toEqual({ allow: true, deny: [], warn: [] });
  });

  it('turns each deny object into a decision item, severity normalised', () => {
    const d = evaluateGate(pack(vulnDeny), input({ vulns: twoVulns }));
    expect(d.allow).toBe(false);
    expect(d.deny).toEqual([
      {
        rule: 'r.vuln',
        subject: 'CVE-1',
        message: 'bad CVE-1',
        severity: 'high',
        remediation: 'upgrade',
      },
      {
        rule: 'r.vuln',
        subject: 'CVE-2',
        message: 'bad CVE-2',
        severity: 'high',
        remediation: 'upgrade',
      },
    ]);
  });

  it('reports a waived deny as waived and ignores an expired waiver', () => {
    const waivers = [
      {
        rule: 'r.vuln',
        subject: 'CVE-1',
        expiresAt: '2026-12-01T00:00:00Z',
        approver: 'sec',
        reason: 'ok',
      },
      {
        rule: 'r.vuln',
        subject: 'CVE-2',
        expiresAt: '2026-11-25T10:00:00Z',
        approver: 'sec',
        reason: 'old',
      },
    ];
    const d = evaluateGate(pack(vulnDeny), input({ vulns: twoVulns, waivers }));
    expect(d.allow).toBe(false);
    expect(d.deny[0]?.waivedBy).toEqual({
      approver: 'sec',
      expiresAt: '2026-12-01T00:00:00Z',
      reason: 'ok',
    });
    expect(d.deny[1]?.waivedBy).toBeUndefined();
  });

  it('allows when every deny is waived, including by a "*" subject', () => {
    const waivers = [
      {
        rule: 'r.vuln',
        subject: '*',
        expiresAt: '2026-12-01T00:00:00Z',
        approver: 'sec',
        reason: 'all',
      },
    ];
    const d = evaluateGate(pack(vulnDeny), input({ vulns: twoVulns, waivers }));
    expect(d.allow).toBe(true);
    expect(d.deny).toHaveLength(2);
  });

  it('still denies on plain-string and malformed elements', () => {
    const d = evaluateGate(pack('deny contains "no"\ndeny contains {"x": 1}'), input());
    expect(d.allow).toBe(false);
    expect(d.deny.map((i) => [i.rule, i.message, i.severity])).toEqual([
      ['t', '(deny without msg)', 'high'],
      ['t', 'no', 'high'],
    ]);
  });

  it('fails closed on an invalid input, naming the field', () => {
    const d = evaluateGate(pack(vulnDeny), { ...input(), coverage: undefined });
    expect(d.allow).toBe(false);
    expect(d.deny[0]?.rule).toBe(GATE_ERROR_RULE);
    expect(d.deny[0]?.message).toMatch(/gate input is invalid.*coverage/);
    expect(d.deny[0]?.remediation).not.toBe('');
  });

  it('fails closed when a builtin errors instead of dropping the deny', () => {
    const d = evaluateGate(pack('deny contains x if { x := to_number("abc") }'), input());
    expect(d.allow).toBe(false);
    expect(d.deny[0]?.message).toMatch(/could not be evaluated.*to_number/);
  });

  it('fails closed on a conflict error, and the failure cannot be waived', () => {
    const waivers = [
      {
        rule: GATE_ERROR_RULE,
        subject: '*',
        expiresAt: '2027-01-01T00:00:00Z',
        approver: 'x',
        reason: '',
      },
    ];
    const d = evaluateGate(
      pack('deny contains 1\nx := 1\nx := 2\ndeny contains x'),
      input({ waivers }),
    );
    expect(d).toMatchObject({ allow: false, deny: [{ rule: GATE_ERROR_RULE }] });
    expect(d.deny[0]?.waivedBy).toBeUndefined();
  });

  it('fails closed when the pack has no deny rule or deny is not a set', () => {
    expect(evaluateGate(pack('allow := true'), input()).deny[0]?.message).toMatch(
      /defines no deny set at data\.t\.gate\.deny/,
    );
    expect(evaluateGate(pack('deny := true'), input()).deny[0]?.message).toMatch(
      /deny is not a set/,
    );
  });

  it('reads the clock only from input.time', () => {
    const p = pack(
      'deny contains "late" if time.now_ns() >= time.parse_rfc3339_ns("2026-11-25T12:00:00Z")',
    );
    expect(evaluateGate(p, input()).allow).toBe(true);
    expect(evaluateGate(p, input({ time: '2026-11-25T12:00:00Z' })).allow).toBe(false);
  });

  it('quotes gate path segments in the query', () => {
    const p = { ...pack(vulnDeny), gate: 'a-b/c' };
    expect(gateQuery(p)).toBe(
      'deny := data["a-b"]["c"].deny; warn := {w | some w in data["a-b"]["c"].warn}',
    );
  });
});
