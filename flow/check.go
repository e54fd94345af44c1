package flow

// CheckFile is validate's whole pipeline for one flow file's bytes: parse,
// every rule the options turn on, and the queue rules against report (nil
// when queues are not checked). flowctl validate and flowctl lsp (on unsaved
// buffers) both call it, so their findings are the same by construction.
func CheckFile(file string, src []byte, opts Options, report *QueueReport) (*Project, []Finding) {
	p := Parse(file, src)
	return p, CheckProject(p, opts, report)
}

// CheckProject returns every finding of a loaded project: Validate's and,
// with a report, QueueFindings', sorted by position.
func CheckProject(p *Project, opts Options, report *QueueReport) []Finding {
	fs := Validate(p, opts)
	if report == nil {
		return fs
	}
	return SortFindings(append(fs, QueueFindings(p, report)...))
}
