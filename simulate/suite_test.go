package simulate

import (
	"os"
	"path/filepath"
	"testing"
)

func TestExamples(t *testing.T) {
	files, err := filepath.Glob("../testdata/examples/*.test.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no example tests: %v", err)
	}
	// The org file is only checked to exist here: cmd resolves it for real
	// (genesys is not a dependency of simulate).
	org := func(path string) (QueueResolver, error) {
		_, err := os.Stat(path)
		return AllQueues{}, err
	}
	for _, r := range RunSuite(files, SuiteOptions{Org: org}) {
		if r.Status != StatusPass {
			t.Errorf("%s: %s: %+v\n%v", r.File, r.Status, r.Failure, r.Transcript)
		}
	}
}
