package simulate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"runtime"
	"slices"
	"sync"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/internal/words"
	"github.com/flowctl/flowctl/schemas"
)

// SuiteOptions configure RunSuite.
type SuiteOptions struct {
	// Org loads the queue resolver for an org file named by a test's org
	// field. nil: tests with an org field fail with an error.
	Org func(path string) (QueueResolver, error)
	// OrgClient, when set, is used instead of Org and also receives the
	// test's client field: the org file's OAuth client (name or id) to
	// pick, "" when the test names none. nil: a test with a client field
	// fails with an error.
	OrgClient func(path, client string) (QueueResolver, error)
	// Resolver, when set, decides every test's handovers: the org and
	// client fields of the test files are then ignored (not even loaded),
	// as with flowctl test --org.
	Resolver QueueResolver
	// Jobs is how many tests run at once; 0 means GOMAXPROCS.
	Jobs int
}

// RunSuite is RunSuiteContext with a context that is never done.
func RunSuite(files []string, opts SuiteOptions) []TestResult {
	results, _ := RunSuiteContext(context.Background(), files, opts)
	return results
}

// RunSuiteContext runs test files concurrently and returns their results
// in the order of files. Each flow and org file is loaded and validated
// once. When ctx is done, no further test starts, running tests stop
// between steps, and it returns no results and the context's error.
func RunSuiteContext(ctx context.Context, files []string, opts SuiteOptions) ([]TestResult, error) {
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	st := &suite{opts: opts}
	results := make([]TestResult, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(jobs, max(len(files), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if ctx.Err() == nil {
					results[i] = st.run(ctx, files[i])
				}
			}
		}()
	}
feed:
	for i := range files {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return results, nil
}

type suite struct {
	opts  SuiteOptions
	flows sync.Map // path -> *loaded[*flow.Project]
	orgs  sync.Map // orgKey -> *loaded[QueueResolver]
}

// loaded is a file loaded once for all tests that name it.
type loaded[T any] struct {
	once     sync.Once
	v        T
	problems []string
	err      error
}

// run runs one test file; a result for a test the context stopped is
// dropped by RunSuiteContext.
func (s *suite) run(ctx context.Context, path string) TestResult {
	res := TestResult{File: path, Name: defaultTestName(path), Status: StatusError}
	src, err := schemas.ReadFile(path)
	if err != nil {
		res.Failure = &Failure{File: path, Line: 1, Column: 1, Message: "cannot read the test file: " + pathErr(err)}
		res.Unreadable = true
		return res
	}
	tf, problems := ParseTestFile(path, src)
	res.Name = tf.Name
	if len(problems) > 0 {
		res.Failure = problemsFailure(path, problems)
		return res
	}
	res.Steps = len(tf.Steps)
	flowPath := relativeTo(path, tf.Flow)
	res.Flow = flowPath
	fl := s.flow(flowPath)
	if fl.err != nil || len(fl.problems) > 0 {
		msg := fmt.Sprintf("flow %s does not validate", flowPath)
		if fl.err != nil {
			msg = fmt.Sprintf("cannot read flow %s: %s", flowPath, pathErr(fl.err))
			res.Unreadable = true
		}
		res.Failure = &Failure{File: path, Line: tf.FlowPos.Line, Column: tf.FlowPos.Col, Message: msg, Problems: fl.problems}
		return res
	}
	resolver := s.opts.Resolver
	if resolver == nil && tf.Org != "" {
		orgPath := relativeTo(path, tf.Org)
		org := s.org(orgPath, tf.Client)
		if org.err != nil {
			at := tf.OrgPos
			if tf.Client != "" {
				at = tf.ClientPos
			}
			res.Failure = &Failure{File: path, Line: at.Line, Column: at.Col, Message: fmt.Sprintf("org %s: %v", orgPath, org.err)}
			return res
		}
		resolver = org.v
	}
	res, _ = RunTest(ctx, tf, fl.v, resolver)
	return res
}

// FlowPath resolves a path written in the test file at testPath (its flow
// or org) as flowctl test does.
func FlowPath(testPath, p string) string { return relativeTo(testPath, p) }

// relativeTo resolves a path written in the test file at testPath: a
// relative path is taken from the test file's directory, an absolute one
// as it is.
func relativeTo(testPath, p string) string {
	p = filepath.FromSlash(p)
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(filepath.Dir(testPath), p)
}

func (s *suite) flow(path string) *loaded[*flow.Project] {
	v, _ := s.flows.LoadOrStore(path, &loaded[*flow.Project]{})
	l := v.(*loaded[*flow.Project])
	l.once.Do(func() {
		p, err := flow.Load(path)
		if err != nil {
			l.err = err
			return
		}
		l.v = p
		for _, f := range flow.Validate(p, flow.Options{}) {
			if f.Severity == flow.SeverityError {
				l.problems = append(l.problems, f.String())
			}
		}
	})
	return l
}

func (s *suite) org(path, client string) *loaded[QueueResolver] {
	v, _ := s.orgs.LoadOrStore(orgKey{path, client}, &loaded[QueueResolver]{})
	l := v.(*loaded[QueueResolver])
	l.once.Do(func() {
		switch {
		case s.opts.OrgClient != nil:
			l.v, l.err = s.opts.OrgClient(path, client)
		case client != "":
			l.err = errors.New("choosing an OAuth client is not supported here")
		case s.opts.Org != nil:
			l.v, l.err = s.opts.Org(path)
		default:
			l.err = errors.New("org files are not supported here")
		}
	})
	return l
}

// orgKey is an org file with the OAuth client a test picks in it.
type orgKey struct{ path, client string }

// problemsFailure is a test file that cannot run, at its first problem.
// The message is that problem when it is the only one, otherwise how many
// there are: Problems lists each once.
func problemsFailure(path string, ps []Problem) *Failure {
	msg := "invalid test file: " + ps[0].Message
	if len(ps) > 1 {
		msg = "invalid test file: " + words.Plural(len(ps), "problem")
	}
	f := &Failure{File: path, Line: ps[0].Line, Column: ps[0].Col, Message: msg}
	for _, p := range ps {
		f.Problems = append(f.Problems, fmt.Sprintf("%s:%d:%d: %s", path, p.Line, p.Col, p.Message))
	}
	return f
}

func pathErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// FlowCoverage is the coverage of every test of one flow file, merged.
type FlowCoverage struct {
	Project  *flow.Project
	Coverage *Coverage
}

// MergeCoverage merges the coverage of passing and failing tests per flow
// file, sorted by file. Tests that could not run have none.
func MergeCoverage(results []TestResult) []FlowCoverage {
	byFile := map[string]*FlowCoverage{}
	for _, r := range results {
		if r.Project == nil || r.Coverage == nil {
			continue
		}
		fc, ok := byFile[r.Project.File]
		if !ok {
			fc = &FlowCoverage{Project: r.Project, Coverage: NewCoverage()}
			byFile[r.Project.File] = fc
		}
		fc.Coverage.Merge(r.Coverage)
	}
	out := make([]FlowCoverage, 0, len(byFile))
	for _, file := range slices.Sorted(maps.Keys(byFile)) {
		out = append(out, *byFile[file])
	}
	return out
}

// SuiteCoverage reports the merged coverage of each flow (MergeCoverage),
// sorted by file.
func SuiteCoverage(results []TestResult) []CoverageReport {
	var out []CoverageReport
	for _, fc := range MergeCoverage(results) {
		out = append(out, fc.Coverage.Report(fc.Project))
	}
	return out
}
