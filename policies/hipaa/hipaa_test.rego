# Tests of the HIPAA gate, run by engine/policy/testing/opa-test.ts as `opa test` would.
package prodsprint.hipaa_test

import data.prodsprint.hipaa

iac := {
	"dataStores": [
		{"address": "aws_db_instance.main", "kind": "postgres", "encryptedAtRest": true, "publiclyAccessible": false},
		{"address": "aws_s3_bucket.uploads", "kind": "object-store", "encryptedAtRest": true, "publiclyAccessible": false},
	],
	"endpoints": [{"address": "aws_lb_listener.https", "tls": true, "minTlsVersion": "1.2"}],
	"logRetentionDays": 2192,
}

good := {
	"time": "2026-11-25T10:00:00Z",
	"environment": "production",
	"change": {"reference": "CHG-1", "author": "ann"},
	"coverage": {"linesPct": 86.2, "threshold": null, "thresholdSource": "pack"},
	"sbom": {"present": true, "format": "CycloneDX 1.6", "components": 412},
	"vulns": [],
	"perf": {"p95Ms": 180, "errorRate": 0.001, "budget": {"p95Ms": 300, "errorRate": 0.01}},
	"cost": {"monthly": 420, "ceiling": 1000, "currency": "USD"},
	"approvals": [{"who": "bob", "role": "release-manager", "at": "2026-11-25T09:00:00Z"}],
	"freezeWindows": [],
	"waivers": [],
	"audit": {"retentionDays": 400, "signed": true},
	"iac": iac,
	"config": {"scanner": "trivy config", "findings": []},
}

with_iac(patch) := object.union(good, {"iac": object.union(iac, patch)})

rules(denies) := {d.rule | some d in denies}

test_good_input_has_no_deny if {
	count(hipaa.deny) == 0 with input as good
}

test_baseline_denies_are_included if {
	denies := hipaa.deny with input as object.union(good, {"approvals": []})
	rules(denies) == {"baseline.approvals"}
}

test_missing_iac_summary_denies if {
	denies := hipaa.deny with input as object.union(good, {"iac": null})
	rules(denies) == {"hipaa.iac"}
}

test_unencrypted_or_unknown_data_store if {
	stores := [
		{"address": "db.a", "kind": "postgres", "encryptedAtRest": false, "publiclyAccessible": false},
		{"address": "db.b", "kind": "redis", "encryptedAtRest": null, "publiclyAccessible": false},
	]
	denies := hipaa.deny with input as with_iac({"dataStores": stores})
	{d.subject | some d in denies; d.rule == "hipaa.encryption_at_rest"} == {"db.a", "db.b"}
}

test_plain_http_and_old_tls if {
	endpoints := [
		{"address": "lb.http", "tls": false, "minTlsVersion": null},
		{"address": "lb.old", "tls": true, "minTlsVersion": "1.0"},
	]
	denies := hipaa.deny with input as with_iac({"endpoints": endpoints})
	{d.msg | some d in denies} == {
		"endpoint lb.http does not enforce TLS",
		"endpoint lb.old allows TLS older than 1.2 (minimum 1.0)",
	}
}

test_public_data_store if {
	stores := [{"address": "s3.public", "kind": "object-store", "encryptedAtRest": true, "publiclyAccessible": true}]
	denies := hipaa.deny with input as with_iac({"dataStores": stores})
	rules(denies) == {"hipaa.private_data_stores"}
}

test_log_retention_under_six_years if {
	denies := hipaa.deny with input as with_iac({"logRetentionDays": 365})
	some d in denies
	d.msg == "log retention of 365 days is below 6 years (2192 days)"
}

test_log_retention_unset if {
	denies := hipaa.deny with input as with_iac({"logRetentionDays": null})
	rules(denies) == {"hipaa.log_retention"}
}
