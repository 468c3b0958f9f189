// Package doctor checks an Amazon Cognito user pool against the poolside
// configuration of the functions attached to it, read-only, and reports every
// mismatch with its fix — before a user finds it by failing to sign in.
//
// It reads the pool (DescribeUserPool, ListUserPoolClients,
// DescribeUserPoolClient, GetGroup), each attached function's configuration
// and resource policy (GetFunctionConfiguration, GetPolicy), the profile table
// (DescribeTable) and, where the caller may, simulates the functions' roles
// against the table (iam:SimulatePrincipalPolicy). Each function's own
// environment is parsed with config.FromEnv, so the doctor judges exactly what
// the function will run with.
//
// The pool settings it compares are described in
// https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html
package doctor

import (
	"cmp"
	"slices"
)

// Severity ranks a finding.
type Severity string

// Severities, worst first.
const (
	// Error: users fail (or get wrong data) until it is fixed; exit status 1.
	Error Severity = "error"
	// Warning: works, but not as the team probably intends.
	Warning Severity = "warning"
	// OK: the check ran and passed.
	OK Severity = "ok"
)

func (s Severity) rank() int {
	switch s {
	case Error:
		return 0
	case Warning:
		return 1
	}
	return 2
}

// Finding is one check's result.
type Finding struct {
	// Check names the check (stable, for --json consumers): "trigger-attached", "shared-config", …
	Check    string   `json:"check"`
	Severity Severity `json:"severity"`
	// Subject is what the finding is about: a trigger, a function, a client, a variable.
	Subject string `json:"subject,omitempty"`
	Message string `json:"message"`
	// Fix says what to change, where; empty for OK findings.
	Fix string `json:"fix,omitempty"`
}

// Report is the outcome of one run.
type Report struct {
	PoolID   string    `json:"poolId"`
	Findings []Finding `json:"findings"`
}

// OK reports whether no finding is an error.
func (r Report) OK() bool {
	return !slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.Severity == Error })
}

// Count returns how many findings have severity s.
func (r Report) Count(s Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// sort orders findings worst first, then by check and subject (stable output).
func (r *Report) sort() {
	slices.SortStableFunc(r.Findings, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Severity.rank(), b.Severity.rank()),
			cmp.Compare(a.Check, b.Check), cmp.Compare(a.Subject, b.Subject))
	})
}

func (r *Report) add(check string, sev Severity, subject, msg, fix string) {
	r.Findings = append(r.Findings, Finding{Check: check, Severity: sev, Subject: subject, Message: msg, Fix: fix})
}
