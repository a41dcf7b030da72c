/**
 * The real release gate (issue 9): builds the gate input document the policy packs read
 * (engine/policy/gates/INPUT.md) from the release and its evidence, and evaluates the pack with
 * evaluateGate. Freeze windows and approvals come from here; coverage, SBOM, vulnerabilities,
 * perf and cost from `evidence`. Whatever the evidence does not give is null, so the pack
 * denies on "not measured" rather than passing (fail closed, invariant 5); `evidence`, the pack
 * or the windows failing to load throws, which the release run turns into a block.
 */
import { evaluateGate } from '../../policy/gates/evaluate.ts';
import type { Decision, DenyItem } from '../../policy/gates/decision.ts';
import type { GateInput as PolicyGateInput } from '../../policy/gates/input.ts';
import type { Pack } from '../../policy/gates/pack.ts';
import type { GateDecision, GateInput, ReleaseGate } from './options.ts';

export interface FreezeWindow {
  /** RFC 3339, inclusive. */
  from: string;
  /** RFC 3339, exclusive. */
  to: string;
  reason: string;
  /** Environments it freezes; all when absent. */
  environments?: string[];
}

/** What earlier stages measured for the release; the fields of the gate input besides time, environment, approvals, freezes. */
export type ReleaseEvidence = Omit<
  PolicyGateInput,
  'time' | 'environment' | 'approvals' | 'freezeWindows'
>;

type OrLoader<T> = T | ((input: GateInput) => T | Promise<T>);

export interface PolicyReleaseGateOptions {
  /** The active pack (loadPack(await readPackDir(...)) or from the pack store). */
  pack: Pack | (() => Pack | Promise<Pack>);
  freezeWindows?: OrLoader<FreezeWindow[]>;
  /**
   * Approvals each environment needs for a release, checked here beside the pack's own rule
   * (the baseline pack asks for `min_approvals` of any environment's release). Only approvals
   * given for the release's environment count, for both.
   */
  requiredApprovals?: Record<string, number>;
  evidence?: OrLoader<Partial<ReleaseEvidence>>;
  /** Sees every decision with the document it was made on (e.g. to keep it for the audit). */
  onDecision?: (decision: Decision, input: PolicyGateInput) => void;
}

/** Everything unmeasured: a pack reading only these denies on each missing measurement. */
const UNMEASURED: ReleaseEvidence = {
  change: { reference: null, author: null },
  coverage: { linesPct: null, threshold: null, thresholdSource: 'pack' },
  sbom: { present: false, format: null, components: 0 },
  vulns: null,
  perf: null,
  cost: { monthly: null, ceiling: null, currency: 'USD' },
  waivers: [],
  audit: { retentionDays: null, signed: false },
  iac: null,
  config: null,
};

export function policyReleaseGate(options: PolicyReleaseGateOptions): ReleaseGate {
  return async (input) => {
    const pack = typeof options.pack === 'function' ? await options.pack() : options.pack;
    const document = await gateDocument(options, input);
    const decision = evaluateGate(pack, document);
    const extra = approvalDenies(options, document, input.environment);
    options.onDecision?.(
      {
        allow: decision.allow && extra.length === 0,
        deny: [...decision.deny, ...extra],
        warn: decision.warn,
      },
      document,
    );
    return toGateDecision([...decision.deny, ...extra]);
  };
}

/** The gate input document for one release (exported for tests and for showing what was asked). */
export async function gateDocument(
  options: Pick<PolicyReleaseGateOptions, 'freezeWindows' | 'evidence'>,
  input: GateInput,
): Promise<PolicyGateInput> {
  const evidence = await load(options.evidence, input, {});
  const windows = await load(options.freezeWindows, input, []);
  return {
    ...UNMEASURED,
    ...evidence,
    time: input.at,
    environment: input.environment,
    approvals: input.approvals
      .filter((a) => a.environment === input.environment)
      .map((a) => ({ who: a.by, role: a.role ?? 'approver', at: a.at ?? input.at })),
    freezeWindows: windows
      .filter((w) => !w.environments || w.environments.includes(input.environment))
      .map((w) => ({ from: w.from, to: w.to, reason: w.reason })),
  };
}

async function load<T>(value: OrLoader<T> | undefined, input: GateInput, fallback: T): Promise<T> {
  if (value === undefined) return fallback;
  return typeof value === 'function' ? (value as (i: GateInput) => T | Promise<T>)(input) : value;
}

function approvalDenies(
  options: PolicyReleaseGateOptions,
  document: PolicyGateInput,
  environment: string,
): DenyItem[] {
  const required = options.requiredApprovals?.[environment] ?? 0;
  const given = new Set(document.approvals.map((a) => a.who)).size;
  if (given >= required) return [];
  return [
    {
      rule: 'release.approvals',
      subject: environment,
      message: `a release to ${environment} needs ${required} approval(s) for ${environment}; ${given} given`,
      severity: 'high',
      remediation: `Ask ${required - given} more approver(s) to approve the release to ${environment}.`,
    },
  ];
}

/** Denies still blocking (waived ones let through), each reason with its rule. */
function toGateDecision(items: DenyItem[]): GateDecision {
  const blocking = items.filter((d) => d.waivedBy === undefined);
  return {
    allow: blocking.length === 0,
    deny: blocking.map((d) => `${d.message} [${d.rule}${d.subject ? ` ${d.subject}` : ''}]`),
    remediation: blocking.map((d) => d.remediation),
  };
}
