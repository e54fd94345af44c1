package cmd

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/flowctl/flowctl/flow"
)

// Output files (simulate --record, test --graph, graph -o, org export -o)
// are checked before the command's work starts, so that no session, test
// run or export is done in vain; a missing folder is created, as serve
// --transcripts does.

// prepareOutput makes sure that path, the file flag names, can be written:
// it must not be a folder (example is a file name to suggest in it), and
// its folder is created when missing and must take a file.
func prepareOutput(flag, path, example string) error {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return failuref("%s %s: is a folder; name the file to write, e.g. %s", flag, path, filepath.Join(path, example))
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return failuref("%s %s: cannot create its folder %s: %v", flag, path, dir, flow.PathErrorCause(err))
	}
	probe, err := os.CreateTemp(dir, ".flowctl-probe-*")
	if err != nil {
		return failuref("%s %s: cannot write in folder %s: %v", flag, path, dir, flow.PathErrorCause(err))
	}
	probe.Close()
	return os.Remove(probe.Name())
}

// writeFileAtomic writes data to a temporary file next to path and renames
// it into place, so a failed write never leaves half a file. Its error is
// a *fs.PathError on path, never on the temporary file.
func writeFileAtomic(path string, data []byte) error {
	err := writeTempAndRename(path, data)
	if err == nil {
		return nil
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		err = le.Err
	}
	return &fs.PathError{Op: "write", Path: path, Err: flow.PathErrorCause(err)}
}

func writeTempAndRename(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
