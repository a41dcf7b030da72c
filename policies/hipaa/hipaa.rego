# METADATA
# title: ProdSprint HIPAA gate
# description: >-
#   The baseline gate plus HIPAA Security Rule safeguards read from the IaC summary
#   (input.iac): encryption at rest (164.312(a)(2)(iv)) and in transit (164.312(e)(1)), no
#   publicly reachable data store, and logs kept 6 years (164.316(b)(2)); 2192 days covers
#   any 6 years including leap days. Unknown (null) counts as non-compliant.
#   baseline.rego in this pack is a copy of policies/baseline/baseline.rego.
package prodsprint.hipaa

import data.prodsprint.baseline

conf := data.prodsprint.config.hipaa

deny contains d if {
	some d in baseline.deny
}

deny contains {
	"rule": "hipaa.iac",
	"subject": "",
	"msg": "no infrastructure summary: encryption and data-store exposure cannot be checked",
	"severity": "critical",
	"remediation": "Run the IaC stage so the plan's infrastructure is summarised for the gate.",
} if {
	input.iac == null
}

deny contains {
	"rule": "hipaa.encryption_at_rest",
	"subject": s.address,
	"msg": sprintf("data store %s (%s) is not encrypted at rest", [s.address, s.kind]),
	"severity": "critical",
	"remediation": "Enable storage encryption (KMS key) on the data store in the IaC.",
} if {
	some s in input.iac.dataStores
	s.encryptedAtRest != true
}

deny contains {
	"rule": "hipaa.encryption_in_transit",
	"subject": e.address,
	"msg": sprintf("endpoint %s does not enforce TLS", [e.address]),
	"severity": "critical",
	"remediation": "Terminate TLS on the endpoint and redirect or refuse plain HTTP.",
} if {
	some e in input.iac.endpoints
	e.tls != true
}

deny contains {
	"rule": "hipaa.encryption_in_transit",
	"subject": e.address,
	"msg": sprintf("endpoint %s allows TLS older than 1.2 (minimum %v)", [e.address, e.minTlsVersion]),
	"severity": "high",
	"remediation": "Set the endpoint's minimum TLS version to 1.2 or 1.3.",
} if {
	some e in input.iac.endpoints
	e.tls == true
	not e.minTlsVersion in conf.allowed_tls_versions
}

deny contains {
	"rule": "hipaa.private_data_stores",
	"subject": s.address,
	"msg": sprintf("data store %s (%s) is or may be publicly accessible", [s.address, s.kind]),
	"severity": "critical",
	"remediation": "Disable public access and place the data store in a private subnet.",
} if {
	some s in input.iac.dataStores
	s.publiclyAccessible != false
}

deny contains {
	"rule": "hipaa.log_retention",
	"subject": "",
	"msg": "log retention is not configured in the IaC",
	"severity": "high",
	"remediation": sprintf("Set log retention to at least %d days (6 years).", [conf.min_log_retention_days]),
} if {
	input.iac != null
	input.iac.logRetentionDays == null
}

deny contains {
	"rule": "hipaa.log_retention",
	"subject": "",
	"msg": sprintf("log retention of %d days is below 6 years (%d days)", [input.iac.logRetentionDays, conf.min_log_retention_days]),
	"severity": "high",
	"remediation": sprintf("Set log retention to at least %d days (6 years).", [conf.min_log_retention_days]),
} if {
	input.iac.logRetentionDays != null
	input.iac.logRetentionDays < conf.min_log_retention_days
}
