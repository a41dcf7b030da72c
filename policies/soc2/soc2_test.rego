# Tests of the SOC 2 gate, run by engine/policy/testing/opa-test.ts as `opa test` would.
package prodsprint.soc2_test

import data.prodsprint.soc2

good := {
	"time": "2026-11-25T10:00:00Z",
	"environment": "production",
	"change": {"reference": "CHG-1234", "author": "ann"},
	"coverage": {"linesPct": 86.2, "threshold": null, "thresholdSource": "pack"},
	"sbom": {"present": true, "format": "CycloneDX 1.6", "components": 412},
	"vulns": [],
	"perf": {"p95Ms": 180, "errorRate": 0.001, "budget": {"p95Ms": 300, "errorRate": 0.01}},
	"cost": {"monthly": 420, "ceiling": 1000, "currency": "USD"},
	"approvals": [
		{"who": "bob", "role": "release-manager", "at": "2026-11-25T09:00:00Z"},
		{"who": "cho", "role": "security", "at": "2026-11-25T09:30:00Z"},
	],
	"freezeWindows": [],
	"waivers": [],
	"audit": {"retentionDays": 400, "signed": true},
	"iac": null,
	"config": {"scanner": "trivy config", "findings": []},
}

with_patch(patch) := object.union(good, patch)

rules(denies) := {d.rule | some d in denies}

test_good_input_has_no_deny if {
	count(soc2.deny) == 0 with input as good
}

test_baseline_denies_are_included if {
	denies := soc2.deny with input as with_patch({"sbom": {"present": false}})
	rules(denies) == {"baseline.sbom"}
}

test_author_approval_does_not_count if {
	approvals := [
		{"who": "ann", "role": "developer", "at": "2026-11-25T09:00:00Z"},
		{"who": "bob", "role": "release-manager", "at": "2026-11-25T09:00:00Z"},
	]
	denies := soc2.deny with input as with_patch({"approvals": approvals})
	some d in denies
	d.msg == "1 approver(s) other than the author, 2 required"
}

test_same_person_twice_is_one_approver if {
	approvals := [
		{"who": "bob", "role": "release-manager", "at": "2026-11-25T09:00:00Z"},
		{"who": "bob", "role": "security", "at": "2026-11-25T09:10:00Z"},
	]
	denies := soc2.deny with input as with_patch({"approvals": approvals})
	rules(denies) == {"soc2.two_person"}
}

test_missing_change_reference if {
	denies := soc2.deny with input as with_patch({"change": {"reference": null}})
	some d in denies
	d.msg == "the change has no change-request reference"
}

test_malformed_change_reference if {
	denies := soc2.deny with input as with_patch({"change": {"reference": "fix stuff"}})
	some d in denies
	d.rule == "soc2.change_reference"
	d.subject == "fix stuff"
}

test_short_audit_retention if {
	denies := soc2.deny with input as with_patch({"audit": {"retentionDays": 90}})
	some d in denies
	d.msg == "audit retention of 90 days is below the required 365"
}

test_unconfigured_or_unsigned_audit if {
	denies := soc2.deny with input as with_patch({"audit": {"retentionDays": null, "signed": false}})
	{d.msg | some d in denies} == {"audit retention is not configured", "the audit chain is not signed"}
}
