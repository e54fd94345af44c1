package cmd

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/flowctl/flowctl/genesys/org"
	"github.com/flowctl/flowctl/simulate"
	"github.com/spf13/cobra"
)

// testFormats are the values of test --format.
var testFormats = []string{"text", "json", "junit"}

// testOptions are test's arguments and flags.
type testOptions struct {
	orgFlags          // --org, --client: one org file for every test
	Paths    []string // test files and directories (default: .)
	Coverage bool     // --coverage: report blocks, edges and exits taken
	Graph    string   // --graph: write the flow graph with the coverage overlay
	Format   string   // --format: one of testFormats
	// configTests are the config's test folders: the paths when none is given.
	configTests []string
}

// newTestCmd is flowctl test [PATH...].
func newTestCmd(f *Factory) *cobra.Command {
	opts := &testOptions{}
	c := &cobra.Command{
		Use:   "test [PATH...]",
		Short: "Run conversation test files (*.test.yaml)",
		Long: `Run conversation tests: each *.test.yaml names a flow and lists steps (bot,
error, user, handover, agent, wait, memory, closed) run on a virtual clock. A run-time
error of the flow fails the test unless an error step expects it.

PATH is a test file or a directory searched recursively for *.test.yaml
(default: the tests folders of the project config, else the current
directory). Tests run concurrently; results are
printed in file order. A failing test shows the step's file:line, what was
expected and what happened.

--org FILE runs every test against that org file (--client NAME|ID picks its
OAuth client), whatever org and client the test files name; a note on
stderr says so.

--coverage reports the blocks, edges (onError, resume, transfer included) and
exits (end-of-flow, inactivity, agent, genesys-timeout, handover-failed)
the tests took, per flow. --graph FILE also draws each flow with the
coverage overlay (Mermaid; Graphviz when FILE ends in .dot or .gv; fenced
Markdown when it ends in .md). With several flows, each flow's file name is
inserted before FILE's extension (cov.acme.md); flow files of one name in
different folders also get the folders that tell them apart
(cov.en-support.md, cov.de-support.md).

Exit status: 0 all passed, 1 a test failed or could not run (bad test file,
missing or invalid flow), 2 usage error, 3 unreadable path.`,
		Example: `  flowctl test
  flowctl test --coverage tests/
  flowctl test --format junit tests/ > junit.xml
  flowctl test --coverage --graph coverage.md tests/
  flowctl test --org genesys/org.yaml tests/`,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Paths = args
			if len(opts.Paths) == 0 {
				opts.Paths = []string{"."}
				if opts.configTests != nil {
					opts.Paths = opts.configTests
				}
			}
			if opts.Graph != "" && !opts.Coverage {
				return usageErrorf("--graph draws the coverage: use it with --coverage")
			}
			return runTest(f, opts)
		},
	}
	fl := c.Flags()
	fl.BoolVar(&opts.Coverage, "coverage", false, "report blocks, edges and exits covered per flow")
	fl.StringVar(&opts.Graph, "graph", "", "with --coverage: write the flow graph with the coverage overlay to FILE")
	addEnumFlag(c, fl, &opts.Format, enumFlag{Name: "format", Short: "f", Default: "text", Values: testFormats, Usage: "output format: %s"})
	addOrgFlags(c, &opts.orgFlags, "run every test against this org file, instead of the org each test names")
	useConfig(c, f, func(pc *projectConfig, _ func(string) bool) bool {
		if len(pc.Findings) == 0 && pc.Set("tests") {
			opts.configTests = pc.Tests
		}
		return false
	})
	return c
}

// testReport is what every test output format renders.
type testReport struct {
	Results  []simulate.TestResult
	Coverage []simulate.CoverageReport // with --coverage
	Passed   int
	Failed   int    // tests with a step that did not hold
	Errors   int    // tests that could not run
	Org      string // --org: the org file every test ran against
}

func runTest(f *Factory, opts *testOptions) error {
	files, err := findFiles(f.Context, opts.Paths, testFiles)
	if err != nil {
		return err
	}
	suite := simulate.SuiteOptions{OrgClient: testOrgResolver}
	if opts.OrgFile != "" {
		r, err := loadOrgResolver(opts.orgFlags)
		if err != nil {
			return orgError(err)
		}
		suite.Resolver = r
		fmt.Fprintf(f.IO.ErrOut, "note: every test runs against org file %s as OAuth client %q (--org): the org and client fields of the test files are ignored\n", opts.OrgFile, r.facts.Client.Name)
	}
	if opts.Graph != "" {
		if err := prepareOutput("--graph", opts.Graph, "coverage.md"); err != nil {
			return err
		}
	}
	results, err := simulate.RunSuiteContext(f.Context, files, suite)
	if err != nil {
		return failure(err)
	}
	r := &testReport{Results: results, Org: opts.OrgFile}
	for _, res := range results {
		switch res.Status {
		case simulate.StatusPass:
			r.Passed++
		case simulate.StatusFail:
			r.Failed++
		default:
			r.Errors++
		}
	}
	if opts.Coverage {
		r.Coverage = simulate.SuiteCoverage(results)
	}
	switch opts.Format {
	case "json":
		err = writeTestJSON(f.IO.Out, r)
	case "junit":
		err = writeTestJUnit(f.IO.Out, r)
	default:
		err = writeTestText(f, r)
	}
	if err != nil {
		return failure(err)
	}
	if opts.Graph != "" {
		if err := writeCoverageGraphs(f, opts.Graph, results); err != nil {
			return err
		}
	}
	if r.Failed+r.Errors > 0 {
		return errFindings
	}
	return nil
}

// testOrgResolver loads a test's org file with the OAuth client its client
// field names; a missing or unknown client is explained in the words of
// test files.
func testOrgResolver(path, client string) (simulate.QueueResolver, error) {
	r, err := loadOrgResolver(orgFlags{OrgFile: path, Client: client})
	var ce *org.ClientChoiceError
	if errors.As(err, &ce) && ce.Want == "" {
		return nil, fmt.Errorf("the org file has %d OAuth clients (%s): name one in the test file with client: NAME", len(ce.Names), quoteJoin(ce.Names))
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// quoteJoin quotes each name and joins them with commas.
func quoteJoin(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}
