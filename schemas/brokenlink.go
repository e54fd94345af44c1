package schemas

import (
	"errors"
	"io/fs"
	"os"
)

// BrokenLinkError is the cause of a path that cannot be opened because it
// is a symbolic link to nothing.
type BrokenLinkError struct {
	Target string // the link's target, as written in it
	Err    error  // why the target cannot be reached (fs.ErrNotExist)
}

func (e *BrokenLinkError) Error() string {
	return "is a broken symbolic link (to " + e.Target + ", which does not exist)"
}

func (e *BrokenLinkError) Unwrap() error { return e.Err }

// BrokenLink returns err, the error of opening or statting path, with a
// *BrokenLinkError as its cause when path is a symbolic link whose target
// does not exist, so that messages say so instead of "no such file or
// directory" about a file the user can see.
func BrokenLink(path string, err error) error {
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	target, lerr := os.Readlink(path)
	if lerr != nil {
		return err
	}
	cause := err
	var pe *fs.PathError
	if errors.As(err, &pe) {
		cause = pe.Err
	}
	return &fs.PathError{Op: "open", Path: path, Err: &BrokenLinkError{Target: target, Err: cause}}
}
