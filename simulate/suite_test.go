package simulate

import (
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
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

// TestSuiteOrgClient checks that a test's client field reaches the org
// loader, that each org file and client pair is loaded once, and that a
// client with no way to honour it is an error rather than ignored.
func TestSuiteOrgClient(t *testing.T) {
	write := tempWriter(t)
	write("ok.flow.yaml", acmeLike)
	a := write("a.test.yaml", "flow: ok.flow.yaml\norg: org.yaml\nclient: Bot A\nsteps: [bot: Hi]\n")
	a2 := write("a2.test.yaml", "flow: ok.flow.yaml\norg: org.yaml\nclient: Bot A\nsteps: [bot: Hi]\n")
	b := write("b.test.yaml", "flow: ok.flow.yaml\norg: org.yaml\nclient: Bot B\nsteps: [bot: Hi]\n")
	none := write("none.test.yaml", "flow: ok.flow.yaml\norg: org.yaml\nsteps: [bot: Hi]\n")
	var mu sync.Mutex
	loads := map[string]int{}
	opts := SuiteOptions{OrgClient: func(path, client string) (QueueResolver, error) {
		mu.Lock()
		defer mu.Unlock()
		loads[filepath.Base(path)+"|"+client]++
		return AllQueues{}, nil
	}}
	for _, r := range RunSuite([]string{a, a2, b, none}, opts) {
		if r.Status != StatusPass {
			t.Errorf("%s: %s %+v", r.File, r.Status, r.Failure)
		}
	}
	want := map[string]int{"org.yaml|Bot A": 1, "org.yaml|Bot B": 1, "org.yaml|": 1}
	if !maps.Equal(loads, want) {
		t.Errorf("loads = %v, want %v", loads, want)
	}

	org := func(string) (QueueResolver, error) { return AllQueues{}, nil }
	r := RunSuite([]string{a}, SuiteOptions{Org: org})[0]
	if r.Status != StatusError || r.Failure.Line != 3 || !strings.Contains(r.Failure.Message, "OAuth client") {
		t.Errorf("client without OrgClient: %s %+v", r.Status, r.Failure)
	}
}

// TestSuiteResolverOverrides checks that SuiteOptions.Resolver decides
// every test's handovers, whatever org and client the test names: those
// are not loaded, even when they do not exist.
func TestSuiteResolverOverrides(t *testing.T) {
	write := tempWriter(t)
	write("ok.flow.yaml", acmeLike)
	steps := "steps:\n  - bot: Hi\n  - user: agent\n  - handover: { queue: Billing Support, failed: true }\n  - bot: Bye\n  - closed: end-of-flow\n"
	files := []string{
		write("own.test.yaml", "flow: ok.flow.yaml\norg: missing.yaml\nclient: Nobody\n"+steps),
		write("none.test.yaml", "flow: ok.flow.yaml\n"+steps),
	}
	opts := SuiteOptions{Resolver: denyAll{}, OrgClient: func(path, client string) (QueueResolver, error) {
		t.Errorf("org %s (client %q) loaded despite the override", path, client)
		return AllQueues{}, nil
	}}
	for _, r := range RunSuite(files, opts) {
		if r.Status != StatusPass {
			t.Errorf("%s: %s %+v", r.File, r.Status, r.Failure)
		}
	}
}

// TestSuiteAbsolutePaths checks that absolute flow and org paths are used
// as written, not joined under the test file's directory.
func TestSuiteAbsolutePaths(t *testing.T) {
	dir := t.TempDir()
	flowPath := filepath.Join(dir, "ok.flow.yaml")
	orgPath := filepath.Join(dir, "org.yaml")
	if err := os.WriteFile(flowPath, []byte(acmeLike), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	test := filepath.Join(dir, "sub", "abs.test.yaml")
	src := "flow: " + strconv.Quote(filepath.ToSlash(flowPath)) + "\norg: " + strconv.Quote(filepath.ToSlash(orgPath)) + "\nsteps: [bot: Hi]\n"
	if err := os.WriteFile(test, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var gotOrg string
	opts := SuiteOptions{Org: func(path string) (QueueResolver, error) {
		gotOrg = path
		return AllQueues{}, nil
	}}
	r := RunSuite([]string{test}, opts)[0]
	if r.Status != StatusPass {
		t.Fatalf("%s: %+v", r.Status, r.Failure)
	}
	if r.Flow != flowPath || gotOrg != orgPath {
		t.Errorf("flow %s, org %s; want %s, %s", r.Flow, gotOrg, flowPath, orgPath)
	}
}
