package cmd

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/simulate"
)

// writeRecording writes the session as a test file, next to which the flow
// (and org) paths are made relative. When the file cannot be written (its
// folder vanished, the disk is full) the recording is printed on stderr
// instead, so the session is never lost.
func writeRecording(f *Factory, path string, opts *simulateOptions, events []simulate.Event) error {
	rec := &simulate.Recording{
		Name:   "recorded session of " + filepath.Base(opts.Flow),
		Events: events,
	}
	rec.SetSource(filepath.Dir(path), opts.Flow, opts.OrgFile, opts.Client)
	data := rec.Bytes()
	err := os.MkdirAll(filepath.Dir(path), 0o755)
	if err == nil {
		err = writeFileAtomic(path, data)
	}
	if err != nil {
		fmt.Fprintf(f.IO.ErrOut, "--- the recording (save it as %s) ---\n%s--- end of the recording ---\n", path, data)
		return failuref("cannot write the recording to %s: %v; it is printed above, on standard error", path, flow.PathErrorCause(err))
	}
	fmt.Fprintf(f.IO.ErrOut, "recorded %s\n", path)
	return nil
}
