# METADATA
# title: ProdSprint SOC 2 gate
# description: >-
#   The baseline gate plus SOC 2 change management (CC8.1): two people approve, every change
#   names its change request, and the signed audit chain is kept long enough for the audit
#   period. baseline.rego in this pack is a copy of policies/baseline/baseline.rego.
package prodsprint.soc2

import data.prodsprint.baseline

conf := data.prodsprint.config.soc2

deny contains d if {
	some d in baseline.deny
}

# The author cannot be one of the two people.
approvers := {a.who | some a in input.approvals; a.who != input.change.author}

deny contains {
	"rule": "soc2.two_person",
	"subject": "",
	"msg": sprintf("%d approver(s) other than the author, %d required", [count(approvers), conf.min_distinct_approvers]),
	"severity": "high",
	"remediation": "Have a second person, other than the change author, approve the plan.",
} if {
	count(approvers) < conf.min_distinct_approvers
}

deny contains {
	"rule": "soc2.change_reference",
	"subject": "",
	"msg": "the change has no change-request reference",
	"severity": "high",
	"remediation": "Link the change to its ticket (e.g. CHG-1234) in the run settings.",
} if {
	input.change.reference == null
}

deny contains {
	"rule": "soc2.change_reference",
	"subject": input.change.reference,
	"msg": sprintf("change reference %q does not match %s", [input.change.reference, conf.change_reference_pattern]),
	"severity": "medium",
	"remediation": "Use the change-request id from the ticketing system.",
} if {
	input.change.reference != null
	not regex.match(conf.change_reference_pattern, input.change.reference)
}

deny contains {
	"rule": "soc2.audit_retention",
	"subject": "",
	"msg": "audit retention is not configured",
	"severity": "high",
	"remediation": sprintf("Set the audit retention to at least %d days.", [conf.min_audit_retention_days]),
} if {
	input.audit.retentionDays == null
}

deny contains {
	"rule": "soc2.audit_retention",
	"subject": "",
	"msg": sprintf("audit retention of %d days is below the required %d", [input.audit.retentionDays, conf.min_audit_retention_days]),
	"severity": "high",
	"remediation": sprintf("Set the audit retention to at least %d days.", [conf.min_audit_retention_days]),
} if {
	input.audit.retentionDays != null
	input.audit.retentionDays < conf.min_audit_retention_days
}

deny contains {
	"rule": "soc2.audit_retention",
	"subject": "",
	"msg": "the audit chain is not signed",
	"severity": "high",
	"remediation": "Configure the audit signing key so every entry is signed.",
} if {
	not input.audit.signed
}
