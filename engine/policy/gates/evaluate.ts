// evaluateGate: run a pack's `deny` set against a gate input and turn it into a decision.
// Pure (no I/O, the clock comes from input.time) so a reviewer can replay a decision from the
// audit bundle. Fails closed (invariant 5): any error becomes a blocking deny with a remedy.
import { RObject, RSet, evalQuery, fromJS, toJSONText } from '../rego/index.ts';
import type { Value } from '../rego/index.ts';
import { DenySeverity, GATE_ERROR_RULE, failClosed } from './decision.ts';
import type { Decision, DenyItem } from './decision.ts';
import { GateInput } from './input.ts';
import type { Waiver } from './input.ts';
import type { Pack } from './pack.ts';

/**
 * The query a pack's decision comes from: its gate package's `deny` set, and its `warn` set when
 * it has one (a comprehension, so a pack without `warn` yields an empty set, not no result).
 */
export function gateQuery(pack: Pack): string {
  const path = pack.gate.split('/').filter(Boolean);
  const gate = `data${path.map((s) => `[${JSON.stringify(s)}]`).join('')}`;
  return `deny := ${gate}.deny; warn := {w | some w in ${gate}.warn}`;
}

/** Evaluate a pack against a gate input (validated here) and return its decision. */
export function evaluateGate(pack: Pack, input: unknown): Decision {
  const parsed = GateInput.safeParse(input);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    return failClosed(
      `gate input is invalid, so pack ${packLabel(pack)} was not evaluated: ${where}`,
      'Re-run the stages that produce the missing or malformed fields (see engine/policy/gates/INPUT.md), then run the gate again.',
    );
  }
  try {
    return decide(pack, parsed.data);
  } catch (err) {
    return failClosed(
      `gate ${packLabel(pack)} could not be evaluated: ${err instanceof Error ? err.message : String(err)}`,
      'Fix the pack (run its tests with `prodsprint policy test`) or activate a revision that evaluates; the gate blocks until it does.',
    );
  }
}

function packLabel(pack: Pack): string {
  return `${pack.name}@${pack.revision || 'unversioned'}`;
}

function decide(pack: Pack, input: GateInput): Decision {
  const nowMs = Date.parse(input.time);
  const rows = evalQuery(pack.policy, gateQuery(pack), {
    input: fromJS(input),
    data: pack.data,
    // A builtin error must not make a deny rule silently undefined: that would fail open.
    strict: true,
    nowNs: () => BigInt(nowMs) * 1_000_000n,
  });
  const deny = rows[0]?.deny;
  if (deny === undefined)
    return failClosed(
      `pack ${packLabel(pack)} defines no deny set at data.${pack.gate.replaceAll('/', '.')}.deny`,
      'Activate a pack that follows the gate convention (engine/policy/gates/README.md): a `deny contains {...}` rule in its gate package.',
    );
  if (!(deny instanceof RSet))
    return failClosed(
      `pack ${packLabel(pack)}: deny is not a set`,
      'Write deny as a partial set rule (`deny contains d if ...`).',
    );
  const active = input.waivers.filter((w) => Date.parse(w.expiresAt) > nowMs);
  const items = sorted(deny.values().map((v) => waive(toItem(v, pack.name), active)));
  const warned = rows[0]?.warn;
  const warn =
    warned instanceof RSet ? sorted(warned.values().map((v) => toItem(v, pack.name))) : [];
  return { allow: items.every((d) => d.waivedBy !== undefined), deny: items, warn };
}

function sorted(items: DenyItem[]): DenyItem[] {
  return items.sort(
    (a, b) => cmp(a.rule, b.rule) || cmp(a.subject, b.subject) || cmp(a.message, b.message),
  );
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function str(o: RObject, key: string): string | undefined {
  const v = o.get(key);
  return typeof v === 'string' ? v : undefined;
}

/**
 * One element of the deny set. The convention is an object {rule, subject, msg, severity,
 * remediation}; a plain string (the classic `deny contains msg`) and malformed objects still
 * deny, with defaults, because dropping them would let a change through.
 */
function toItem(v: Value, packName: string): DenyItem {
  if (!(v instanceof RObject))
    return {
      rule: packName,
      subject: '',
      message: typeof v === 'string' ? v : toJSONText(v),
      severity: 'high',
      remediation: '',
    };
  const sev = DenySeverity.safeParse(str(v, 'severity')?.toLowerCase());
  return {
    rule: str(v, 'rule') ?? packName,
    subject: str(v, 'subject') ?? '',
    message: str(v, 'msg') ?? str(v, 'message') ?? '(deny without msg)',
    severity: sev.success ? sev.data : 'high',
    remediation: str(v, 'remediation') ?? '',
  };
}

function waive(item: DenyItem, waivers: Waiver[]): DenyItem {
  // The gate's own "could not evaluate" deny is never waivable.
  if (item.rule === GATE_ERROR_RULE) return item;
  const w = waivers.find(
    (x) => x.rule === item.rule && (x.subject === '*' || x.subject === item.subject),
  );
  return w
    ? { ...item, waivedBy: { approver: w.approver, expiresAt: w.expiresAt, reason: w.reason } }
    : item;
}
