package cmd

import (
	"io"
	"path/filepath"

	"github.com/flowctl/flowctl/flow"
	"github.com/owenrumney/go-sarif/v2/sarif"
)

const infoURI = "https://github.com/flowctl/flowctl"

// writeFindingsSARIF writes SARIF 2.1.0 with one rule entry per rule id and
// one result per finding.
func writeFindingsSARIF(w io.Writer, r *validateReport) error {
	rep, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	run := sarif.NewRunWithInformationURI("flowctl", infoURI)
	run.Tool.Driver.WithVersion(version())
	index := map[string]int{}
	for i, rule := range flow.Rules {
		index[rule.ID] = i
		run.AddRule(rule.ID).
			WithShortDescription(sarif.NewMultiformatMessageString(rule.Summary)).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(string(rule.Severity))).
			WithHelpURI(infoURI + "#rules")
	}
	for _, f := range r.Findings {
		loc := sarif.NewPhysicalLocation().
			WithArtifactLocation(sarif.NewSimpleArtifactLocation(filepath.ToSlash(f.File))).
			WithRegion(sarif.NewSimpleRegion(f.Line, f.Line).WithStartColumn(f.Column))
		res := sarif.NewRuleResult(f.Rule).
			WithLevel(string(f.Severity)).
			WithMessage(sarif.NewTextMessage(f.Message)).
			WithLocations([]*sarif.Location{sarif.NewLocationWithPhysicalLocation(loc)})
		if i, ok := index[f.Rule]; ok {
			res.WithRuleIndex(i)
		}
		run.AddResult(res)
	}
	run.AddInvocation(true).WithExitCode(validateExitCode(r))
	rep.AddRun(run)
	return rep.PrettyWrite(w)
}

// validateExitCode is the exit code validate ends with for this report
// (without --strict).
func validateExitCode(r *validateReport) int {
	if r.Errors > 0 {
		return ExitFindings
	}
	return ExitOK
}
