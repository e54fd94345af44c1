package report

import (
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/flowctl/flowctl/flow"
	"github.com/owenrumney/go-sarif/v2/sarif"
)

// InfoURI is flowctl's home page (SARIF's informationUri, where to report bugs).
const InfoURI = "https://github.com/flowctl/flowctl"

// writeFindingsSARIF writes SARIF 2.1.0 with one rule entry per rule id and
// one result per finding. Columns count Unicode code points, as flowctl's
// do. A result's level is error when it fails the run (under --strict a
// warning too; its rule keeps its default level). The invocation carries
// the run's real exit code; unreadable files and a failed queue lookup are
// tool execution notifications and make the execution unsuccessful:
// findings, failing or not, do not (SARIF's executionSuccessful is about
// the tool, not the results).
func writeFindingsSARIF(w io.Writer, r *Validation) error {
	rep, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	run := sarif.NewRunWithInformationURI("flowctl", InfoURI)
	run.Tool.Driver.WithVersion(r.ToolVersion)
	run.ColumnKind = "unicodeCodePoints"
	index := map[string]int{}
	for i, rule := range flow.Rules {
		index[rule.ID] = i
		run.AddRule(rule.ID).
			WithShortDescription(sarif.NewMultiformatMessageString(rule.Summary)).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(string(rule.Severity))).
			WithHelpURI(InfoURI + "#rules")
	}
	for _, f := range r.Findings {
		loc := sarif.NewPhysicalLocation().
			WithArtifactLocation(sarif.NewSimpleArtifactLocation(sarifURI(f.File))).
			WithRegion(sarif.NewSimpleRegion(f.Line, f.Line).WithStartColumn(f.Column))
		res := sarif.NewRuleResult(f.Rule).
			WithLevel(sarifLevel(r, f)).
			WithMessage(sarif.NewTextMessage(f.Message)).
			WithLocations([]*sarif.Location{sarif.NewLocationWithPhysicalLocation(loc)})
		if i, ok := index[f.Rule]; ok {
			res.WithRuleIndex(i)
		}
		run.AddResult(res)
	}
	var notes []*sarif.Notification
	for _, e := range r.Unreadable {
		loc := sarif.NewPhysicalLocation().WithArtifactLocation(sarif.NewSimpleArtifactLocation(sarifURI(e.File)))
		notes = append(notes, sarif.NewNotification().WithLevel("error").WithTextMessage(e.Message).
			WithLocations([]*sarif.Location{sarif.NewLocationWithPhysicalLocation(loc)}))
	}
	if r.QueueError != "" {
		notes = append(notes, sarif.NewNotification().WithLevel("error").WithTextMessage("queue checks failed: "+r.QueueError))
	}
	inv := run.AddInvocation(!r.ExecutionFailed()).WithExitCode(r.ExitCode)
	if len(notes) > 0 {
		inv.WithToolExecutionNotifications(notes)
	}
	rep.AddRun(run)
	return rep.PrettyWrite(w)
}

// sarifURI turns a file path into a SARIF artifact URI: a relative URI
// reference for a relative path, a file: URI for an absolute one, each
// percent-encoded (spaces, non-ASCII).
func sarifURI(path string) string {
	p := filepath.ToSlash(path)
	if filepath.IsAbs(path) {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // C:/x -> /C:/x
		}
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	return (&url.URL{Path: p}).String()
}

// sarifLevel is a result's level: error for a finding that fails the run.
func sarifLevel(r *Validation, f flow.Finding) string {
	if r.Fails(f) {
		return string(flow.SeverityError)
	}
	return string(f.Severity)
}
