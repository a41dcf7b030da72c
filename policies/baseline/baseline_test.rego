# Tests of the baseline gate, run by engine/policy/testing/opa-test.ts as `opa test` would.
package prodsprint.baseline_test

import data.prodsprint.baseline

good := {
	"time": "2026-11-25T10:00:00Z",
	"environment": "production",
	"change": {"reference": "CHG-1", "author": "ann"},
	"coverage": {"linesPct": 86.2, "threshold": null, "thresholdSource": "pack"},
	"sbom": {"present": true, "format": "CycloneDX 1.6", "components": 412},
	"vulns": [{"id": "CVE-2024-9", "severity": "MEDIUM", "package": "zlib", "installed": "1.2", "fixed": "1.3"}],
	"perf": {"p95Ms": 180, "errorRate": 0.001, "budget": {"p95Ms": 300, "errorRate": 0.01}},
	"cost": {"monthly": 420, "ceiling": 1000, "currency": "USD"},
	"approvals": [{"who": "bob", "role": "release-manager", "at": "2026-11-25T09:00:00Z"}],
	"freezeWindows": [{"from": "2026-12-20T00:00:00Z", "to": "2027-01-02T00:00:00Z", "reason": "year end"}],
	"waivers": [],
	"audit": {"retentionDays": 400, "signed": true},
	"iac": null,
	"config": {"scanner": "trivy config", "findings": [{"id": "DS026", "severity": "LOW", "file": "Dockerfile", "title": "No HEALTHCHECK"}]},
}

with_patch(patch) := object.union(good, patch)

rules(denies) := {d.rule | some d in denies}

test_good_input_has_no_deny if {
	count(baseline.deny) == 0 with input as good
}

test_coverage_below_pack_threshold if {
	denies := baseline.deny with input as with_patch({"coverage": {"linesPct": 79.9}})
	some d in denies
	d.rule == "baseline.coverage"
	d.msg == "line coverage 79.9% is below the 80% threshold (set by pack)"
}

test_project_threshold_wins if {
	denies := baseline.deny with input as with_patch({"coverage": {"linesPct": 86.2, "threshold": 90, "thresholdSource": "project"}})
	rules(denies) == {"baseline.coverage"}
}

test_coverage_not_measured if {
	denies := baseline.deny with input as with_patch({"coverage": {"linesPct": null}})
	some d in denies
	d.msg == "line coverage was not measured"
}

test_sbom_missing if {
	denies := baseline.deny with input as with_patch({"sbom": {"present": false, "components": 0}})
	rules(denies) == {"baseline.sbom"}
}

test_high_and_critical_vulns_deny_medium_does_not if {
	vulns := [
		{"id": "CVE-1", "severity": "HIGH", "package": "a", "installed": "1", "fixed": "2"},
		{"id": "CVE-2", "severity": "CRITICAL", "package": "b", "installed": "1", "fixed": null},
		{"id": "CVE-3", "severity": "MEDIUM", "package": "c", "installed": "1", "fixed": null},
	]
	denies := baseline.deny with input as with_patch({"vulns": vulns})
	{v.subject | some v in denies} == {"CVE-1", "CVE-2"}
	some d in denies
	d.subject == "CVE-1"
	d.remediation == "Upgrade a to 2 or later."
}

test_no_scan_result_denies if {
	denies := baseline.deny with input as with_patch({"vulns": null})
	rules(denies) == {"baseline.vulns"}
}

test_perf_budget_exceeded if {
	denies := baseline.deny with input as with_patch({"perf": {"p95Ms": 301, "errorRate": 0.02}})
	{d.subject | some d in denies; d.rule == "baseline.perf"} == {"p95", "errorRate"}
}

test_perf_missing_denies if {
	denies := baseline.deny with input as with_patch({"perf": null})
	some d in denies
	d.msg == "no performance results"
}

test_cost_over_ceiling if {
	denies := baseline.deny with input as with_patch({"cost": {"monthly": 1000.5}})
	some d in denies
	d.msg == "estimated monthly cost 1000.5 USD exceeds the ceiling of 1000 USD"
}

test_cost_at_ceiling_passes if {
	count(baseline.deny) == 0 with input as with_patch({"cost": {"monthly": 1000}})
}

test_no_approvals if {
	denies := baseline.deny with input as with_patch({"approvals": []})
	rules(denies) == {"baseline.approvals"}
}

test_inside_freeze_window if {
	denies := baseline.deny with input as with_patch({"time": "2026-12-24T12:00:00Z"})
	rules(denies) == {"baseline.freeze"}
}

test_freeze_window_end_is_exclusive if {
	count(baseline.deny) == 0 with input as with_patch({"time": "2027-01-02T00:00:00Z"})
}

test_pack_threshold_comes_from_data if {
	denies := baseline.deny with input as good with data.prodsprint.config.baseline.coverage_threshold as 90
	rules(denies) == {"baseline.coverage"}
}

test_quality_findings_warn_before_production if {
	staging := with_patch({"environment": "staging", "coverage": {"linesPct": null}, "perf": {"p95Ms": 900, "errorRate": 0.5, "budget": {"p95Ms": 300, "errorRate": 0.01}}})
	count(baseline.deny) == 0 with input as staging
	rules(baseline.warn) == {"baseline.coverage", "baseline.perf"} with input as staging
}

test_quality_findings_deny_in_production if {
	prod := with_patch({"environment": "prod", "coverage": {"linesPct": 50.0}})
	rules(baseline.deny) == {"baseline.coverage"} with input as prod
	count(baseline.warn) == 0 with input as prod
}

test_missing_perf_denies_everywhere if {
	staging := with_patch({"environment": "staging", "perf": null})
	rules(baseline.deny) == {"baseline.perf"} with input as staging
}

test_high_misconfiguration_denies_in_production_and_warns_before if {
	root := {"id": "DS002", "severity": "HIGH", "file": "Dockerfile", "title": "Image user should not be 'root'"}
	prod := with_patch({"config": {"scanner": "trivy config", "findings": [root]}})
	some d in baseline.deny with input as prod
	d.rule == "baseline.config"
	d.subject == "DS002 Dockerfile"
	staging := with_patch({"environment": "staging", "config": {"scanner": "trivy config", "findings": [root]}})
	count(baseline.deny) == 0 with input as staging
	rules(baseline.warn) == {"baseline.config"} with input as staging
}

test_unscanned_configuration_is_a_quality_finding if {
	rules(baseline.deny) == {"baseline.config"} with input as object.remove(good, ["config"])
	rules(baseline.deny) == {"baseline.config"} with input as with_patch({"config": null})
}
