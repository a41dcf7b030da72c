# METADATA
# title: ProdSprint baseline gate
# description: >-
#   The checks every production change passes (issue 6). Each deny element follows the gate
#   convention in engine/policy/gates/README.md. A measurement that is missing (null) denies: a gate
#   never passes on data it does not have (ARCHITECTURE.md invariant 5). Coverage, perf budgets and
#   HIGH/CRITICAL misconfigurations deny in production environments (data: production_environments)
#   and warn before them.
#   soc2/ and hipaa/ carry a byte-identical copy of this file (test/policy enforces it).
package prodsprint.baseline

conf := data.prodsprint.config.baseline

now := time.parse_rfc3339_ns(input.time)

# The project's threshold wins over the pack default.
coverage_threshold := input.coverage.threshold if input.coverage.threshold != null
else := conf.coverage_threshold

# Quality measurements (coverage, perf budgets) decide production. Before production they are
# warnings: a first run reaches staging, where perf can be measured for real, and the sprint
# shows what still stands between it and prod, which the same rules then deny (issue 14).
production if input.environment in conf.production_environments

deny contains finding if {
	some finding in quality
	production
}

warn contains finding if {
	some finding in quality
	not production
}

quality contains {
	"rule": "baseline.coverage",
	"subject": "",
	"msg": "line coverage was not measured",
	"severity": "high",
	"remediation": "Run the test stage with coverage enabled so a coverage report is produced.",
} if {
	input.coverage.linesPct == null
}

quality contains {
	"rule": "baseline.coverage",
	"subject": "",
	"msg": sprintf("line coverage %v%% is below the %v%% threshold (set by %s)", [pct, coverage_threshold, input.coverage.thresholdSource]),
	"severity": "high",
	"remediation": "Add tests for the uncovered code, or lower the project's coverage threshold with an approved change.",
} if {
	pct := input.coverage.linesPct
	pct != null
	pct < coverage_threshold
}

deny contains {
	"rule": "baseline.sbom",
	"subject": "",
	"msg": "no SBOM was produced for this build",
	"severity": "high",
	"remediation": "Run the security stage so a CycloneDX SBOM is generated for the image.",
} if {
	not input.sbom.present
}

deny contains {
	"rule": "baseline.sbom",
	"subject": "",
	"msg": "the SBOM lists no components",
	"severity": "high",
	"remediation": "Regenerate the SBOM from the built image; an empty SBOM usually means the scanner saw the wrong path.",
} if {
	input.sbom.present
	input.sbom.components == 0
}

deny contains {
	"rule": "baseline.vulns",
	"subject": "",
	"msg": "no vulnerability scan result",
	"severity": "critical",
	"remediation": "Run the security stage (Trivy with the imported offline database) before this gate.",
} if {
	input.vulns == null
}

deny contains {
	"rule": "baseline.vulns",
	"subject": v.id,
	"msg": sprintf("%s vulnerability %s in %s", [v.severity, v.id, v.package]),
	"severity": lower(v.severity),
	"remediation": vuln_remediation(v),
} if {
	some v in input.vulns
	v.severity in conf.blocking_severities
}

vuln_remediation(v) := sprintf("Upgrade %s to %s or later.", [v.package, v.fixed]) if v.fixed != null

else := sprintf("No fix is available for %s: remove or replace %s, or record a waiver with an expiry.", [v.id, v.package])

deny contains {
	"rule": "baseline.perf",
	"subject": "",
	"msg": "no performance results",
	"severity": "high",
	"remediation": "Run the perf stage (k6) against staging before this gate.",
} if {
	perf_missing
}

# Separate bodies, not one array: an undefined element would make the whole array undefined
# and the deny would silently not fire.
perf_missing if input.perf == null

perf_missing if input.perf.p95Ms == null

perf_missing if input.perf.errorRate == null

quality contains {
	"rule": "baseline.perf",
	"subject": "p95",
	"msg": sprintf("p95 latency %vms exceeds the %vms budget", [input.perf.p95Ms, input.perf.budget.p95Ms]),
	"severity": "high",
	"remediation": "Profile the slow endpoints from the perf report, or raise the budget with an approved change.",
} if {
	input.perf.p95Ms != null
	input.perf.p95Ms > input.perf.budget.p95Ms
}

quality contains {
	"rule": "baseline.perf",
	"subject": "errorRate",
	"msg": sprintf("error rate %v exceeds the %v budget", [input.perf.errorRate, input.perf.budget.errorRate]),
	"severity": "high",
	"remediation": "Fix the failing requests listed in the perf report before releasing.",
} if {
	input.perf.errorRate != null
	input.perf.errorRate > input.perf.budget.errorRate
}

quality contains {
	"rule": "baseline.config",
	"subject": sprintf("%s %s", [f.id, f.file]),
	"msg": sprintf("%s misconfiguration %s in %s: %s", [f.severity, f.id, f.file, f.title]),
	"severity": lower(f.severity),
	"remediation": sprintf("Fix %s in %s as the finding says, or record a waiver for baseline.config with an expiry.", [f.id, f.file]),
} if {
	some f in input.config.findings
	f.severity in conf.blocking_severities
}

quality contains {
	"rule": "baseline.config",
	"subject": "",
	"msg": "the build's configuration (Dockerfile, manifests) was not scanned",
	"severity": "high",
	"remediation": "Run the config-scan stage (Trivy config) before this gate.",
} if {
	config_unscanned
}

config_unscanned if not input.config

config_unscanned if input.config == null

deny contains {
	"rule": "baseline.cost",
	"subject": "",
	"msg": "no monthly cost estimate",
	"severity": "medium",
	"remediation": "Run the cost stage so the plan carries a monthly estimate.",
} if {
	input.cost.monthly == null
}

deny contains {
	"rule": "baseline.cost",
	"subject": "",
	"msg": "no monthly cost ceiling is configured",
	"severity": "medium",
	"remediation": "Set the project's monthly cost ceiling in its settings.",
} if {
	input.cost.ceiling == null
}

deny contains {
	"rule": "baseline.cost",
	"subject": "",
	"msg": sprintf("estimated monthly cost %v %s exceeds the ceiling of %v %s", [input.cost.monthly, input.cost.currency, input.cost.ceiling, input.cost.currency]),
	"severity": "medium",
	"remediation": "Right-size the planned resources (see the cost report), or raise the ceiling with an approved change.",
} if {
	input.cost.monthly != null
	input.cost.ceiling != null
	input.cost.monthly > input.cost.ceiling
}

deny contains {
	"rule": "baseline.approvals",
	"subject": "",
	"msg": sprintf("%d approval(s) recorded, %d required", [count(input.approvals), conf.min_approvals]),
	"severity": "high",
	"remediation": "Ask an approver to approve the plan in ProdSprint.",
} if {
	count(input.approvals) < conf.min_approvals
}

deny contains {
	"rule": "baseline.freeze",
	"subject": w.from,
	"msg": sprintf("change falls in the freeze window %s to %s (%s)", [w.from, w.to, w.reason]),
	"severity": "high",
	"remediation": sprintf("Wait until %s, or record a waiver for rule baseline.freeze approved by the freeze owner.", [w.to]),
} if {
	some w in input.freezeWindows
	time.parse_rfc3339_ns(w.from) <= now
	now < time.parse_rfc3339_ns(w.to)
}
