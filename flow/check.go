package flow

// CheckFile is validate's pipeline for one flow file's bytes (flowctl lsp
// calls it on unsaved buffers): Parse, then CheckProject with the queue
// report that queues gives for the parsed project (queues nil, or returning
// nil: no queue checks).
func CheckFile(file string, src []byte, opts Options, queues func(*Project) *QueueReport) (*Project, []Finding) {
	p := Parse(file, src)
	var report *QueueReport
	if queues != nil {
		report = queues(p)
	}
	return p, CheckProject(p, opts, report)
}

// CheckProject returns every finding of a loaded project: Validate's and,
// with a report, QueueFindings', sorted by position. It is Check, then
// Findings: flowctl validate takes the two steps apart (it resolves the
// queue names of every file between them), so validate and lsp share
// every step after reading the bytes.
func CheckProject(p *Project, opts Options, report *QueueReport) []Finding {
	return Check(p, opts).Findings(report)
}
