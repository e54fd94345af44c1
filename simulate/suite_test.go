package simulate

import (
	"path/filepath"
	"testing"
)

func TestExamples(t *testing.T) {
	files, err := filepath.Glob("../testdata/examples/*.test.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no example tests: %v", err)
	}
	for _, r := range RunSuite(files, SuiteOptions{}) {
		if r.Status != StatusPass {
			t.Errorf("%s: %s: %+v\n%v", r.File, r.Status, r.Failure, r.Transcript)
		}
	}
}
